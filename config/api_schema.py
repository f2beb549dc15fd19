"""drf-spectacular's settings: how the API describes itself (imported by config/settings.py)."""
SPECTACULAR_SETTINGS = {
    "TITLE": "Nankai hazardous-chemical case engine API（南开区危险化学品安全监管案件接口）",
    "VERSION": "1",
    "DESCRIPTION": (
        "Cases of hazardous-chemical safety supervision, from discovery to closure, for the district's agencies. "
        "Send `Authorization: Token <key>` (POST auth/token); every refusal answers "
        "`{\"error\": {code, message, fields}}`; messages follow Accept-Language (Chinese by default). "
        "docs/api.md in the repository explains paging, the completion bodies and generating a client.\n\n"
        "南开区危险化学品安全监管案件接口：隐患、非法违法“小化工”、危险废物移送、行政处罚、危险货物道路运输等案件从发现到销号的全过程。"
        "请求头携带 `Authorization: Token <令牌>`（由 POST auth/token 获取）；所有拒绝均以 "
        "`{\"error\": {code, message, fields}}` 返回；提示信息随 Accept-Language，默认中文。"),
    "TAGS": [
        {"name": "auth", "description": "Tokens (令牌)"}, {"name": "me", "description": "The user (当前用户)"},
        {"name": "agencies", "description": "Agencies (单位)"},
        {"name": "cases", "description": "Cases, their history, evidence and comments (案件、记录、证据、意见)"},
        {"name": "tasks", "description": "Inbox, queue and the steps of a case (待办、待领、办理)"},
        {"name": "documents", "description": "Documents of record (执法文书)"},
        {"name": "enterprises", "description": "The enterprise register (一企一档)"},
        {"name": "codes", "description": "Product safety codes (一品一码)"},
        {"name": "supervision", "description": "Supervision and listings (督办、挂牌督办)"},
        {"name": "plan", "description": "The plan's key tasks and progress reports (重点任务、进展报送)"},
        {"name": "campaigns", "description": "Special campaigns (专项行动)"},
        {"name": "stats", "description": "Statistics (统计)"}, {"name": "reports", "description": "Monthly workbook (月报)"},
        {"name": "notifications", "description": "Notifications (通知)"},
        {"name": "intake", "description": "Signed alarm intake (告警接入)"},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: no CDN on the intranet
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PATH_CONVERTER_OVERRIDES": {"id": int},  # common.inputs.IdConverter
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.schema.document_errors",  # the Error component and every operation's refusals
        "desk.api.schema.completion_bodies",  # POST tasks/{id}/complete: one body per step action
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "org.models.Agency.Kind",
        "GradeEnum": "cases.models.Grade",
        "ServiceMethodEnum": "enforcement.models.Document.Method",
        "CaseStateEnum": "cases.models.State",
        "ListingStateEnum": "supervision.models.Listing.State",
        "RiskEnum": "cases.models.Risk",
    },
}
