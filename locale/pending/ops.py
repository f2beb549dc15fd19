# The Chinese of the operations work: hashed API tokens and their revocation notice
# (tools: po_set.py locale/zh_Hans/LC_MESSAGES/django.po locale/pending/ops.py).
T = {
    "Your API token was revoked": "您的接口令牌已被撤销",
    "API tokens are now stored hashed; the token you had no longer works. Request a new one with POST /api/v1/auth/token.":
        "接口令牌现以哈希形式保存，您原有的令牌已失效。请通过 POST /api/v1/auth/token 重新申请。",
    "Invalid token.": "令牌无效。",
    "User inactive or deleted.": "用户已停用或已删除。",
    "prefix": "前缀",
    "The key's first characters, to tell tokens apart.": "令牌的前几个字符，用于区分不同令牌。",
    "API token": "接口令牌",
    "API tokens": "接口令牌",
}
