# The Chinese of the history's checkpoints, key rotation and verification messages
# (tools: po_set.py locale/zh_Hans/LC_MESSAGES/django.po locale/pending/history.py).
T = {
    "HISTORY_CHECKPOINT_DIR is not set: checkpoints cannot be written or read":
        "未设置 HISTORY_CHECKPOINT_DIR：无法写入或读取检查点",
    "checkpoint %(name)s does not exist": "检查点 %(name)s 不存在",
    "it goes on after its trailer": "文件在结尾记录之后仍有内容",
    "it is not a history checkpoint": "不是案件记录检查点文件",
    "a pin is malformed or out of order": "有一条案件记录格式错误或顺序错乱",
    "it has no trailer (cut short)": "缺少结尾记录（文件被截断）",
    "its signature does not match (changed, or signed with an unknown key)": "签名不符（已被改动，或由未知密钥签名）",
    "its totals do not match its pins": "合计与各案件记录不符",
    "a line is not JSON": "有一行不是 JSON",
    "checkpoint %(name)s cannot be trusted: %(why)s": "检查点 %(name)s 不可信：%(why)s",
    "History key changed": "案件记录密钥已更换",
    "the history holds %(rows)d rows, fewer than the %(pinned)d checkpoint %(name)s recorded "
    "(rows deleted or the table truncated)":
        "案件记录共 %(rows)d 条，少于检查点 %(name)s 记录的 %(pinned)d 条（记录被删除或整表被清空）",
    "case %(number)s: checkpoint %(name)s records it with %(length)d history rows; the case is gone "
    "(deleted with its history)":
        "案件 %(number)s：检查点 %(name)s 记录其有 %(length)d 条案件记录；该案件已不存在（连同记录被删除）",
    "checkpoint %(name)s records %(length)d history rows, %(stored)d are stored (rows deleted)":
        "检查点 %(name)s 记录有 %(length)d 条案件记录，现存 %(stored)d 条（记录被删除）",
    "history row %(pk)d (position %(length)d) is not the one checkpoint %(name)s recorded (history rewritten)":
        "第 %(length)d 条案件记录（编号 %(pk)d）与检查点 %(name)s 记录的不同（记录被改写）",
    "HISTORY_RETIRED_KEYS is empty: put the old key there and the new one in HISTORY_KEY, then rotate":
        "HISTORY_RETIRED_KEYS 为空：请将旧密钥填入该项、新密钥填入 HISTORY_KEY，再执行更换",
    "%(count)d chain(s) are broken; first: %(first)s. Nothing was sealed: a seal would vouch for them":
        "%(count)d 条记录链已损坏，第一处：%(first)s。未追加任何封存记录：封存将为其担保",
    "HISTORY_CHECKPOINT_DIR is not set: no signed checkpoint of the history is written, so a case deleted "
    "with its history or a history cut short goes unseen":
        "未设置 HISTORY_CHECKPOINT_DIR：不写入案件记录的签名检查点，连同记录被删除的案件或被截短的记录将无从发现",
    "Set HISTORY_CHECKPOINT_DIR to a directory on the application servers, outside the database's host, "
    "and run beat (docs/history.md).":
        "请将 HISTORY_CHECKPOINT_DIR 设为应用服务器上、数据库主机以外的目录，并运行 beat（见 docs/history.md）。",
}
