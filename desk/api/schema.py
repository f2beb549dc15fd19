"""The task completion body in the OpenAPI document: one schema per step action
(``Complete<Action>``), built from the action's form (the same declaration the
pages and ``flows.services.complete_task`` validate with), joined as a union
discriminated by ``action``. A new kind, step or action shows here with no
other change (docs/api.md)."""
from common.schema import form_schema
from flows.registry import kinds

COMPLETE_PATH = "/api/v1/tasks/{task_id}/complete"


def schema_name(action: str) -> str:
    return "Complete" + "".join(part.capitalize() for part in action.split("_"))


def action_schemas() -> dict[str, dict]:
    """{action name: its body schema}. An action several kinds declare with
    forms of their own (``confirm``, ``issue``, ``submit``) has one schema with
    the fields of all of them, required where every one requires it; each
    field says which steps ask for it when not all do."""
    uses: dict[str, list] = {}
    for kind in kinds().values():
        for step_name, step in kind.steps().items():
            for name, action in step.actions.items():
                uses.setdefault(name, []).append((kind.code, step_name, action))
    out = {}
    for name, rows in sorted(uses.items()):
        forms = []
        for _kind, _step, action in rows:
            if action.form not in forms:
                forms.append(action.form)
        schemas = [form_schema(form) for form in forms]
        properties, required = {}, None
        for form, schema in zip(forms, schemas, strict=True):
            for field, field_schema in schema["properties"].items():
                properties.setdefault(field, field_schema)
            required = set(schema.get("required", [])) if required is None else required & set(
                schema.get("required", []))
        if len(forms) > 1:
            for field, field_schema in properties.items():
                asking = sorted({f"{kind}.{step}" for kind, step, action in rows
                                 if field in action.form.base_fields})
                if len(asking) < len(rows):
                    note = "asked at " + ", ".join(asking)
                    field_schema["description"] = "; ".join(
                        text for text in (field_schema.get("description", ""), note) if text)
        steps = sorted({f"{kind}.{step}" for kind, step, _action in rows})
        labels = sorted({str(action.label) for _kind, _step, action in rows})
        out[name] = {
            "type": "object",
            "title": schema_name(name),
            "description": f"`{name}` ({' / '.join(labels)}) at the steps {', '.join(steps)}",
            "properties": {"action": {"type": "string", "enum": [name]}, **properties},
            "required": ["action", *sorted(required or ())],
        }
    return out


def completion_bodies(result, generator, request, public):
    """Postprocessing hook: ``POST tasks/{id}/complete`` takes ``oneOf`` the actions' bodies."""
    operation = result.get("paths", {}).get(COMPLETE_PATH, {}).get("post")
    if operation is None:
        return result
    components = result.setdefault("components", {}).setdefault("schemas", {})
    mapping = {}
    for action, schema in action_schemas().items():
        components[schema_name(action)] = schema
        mapping[action] = f"#/components/schemas/{schema_name(action)}"
    components["CompleteIn"] = {
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "action", "mapping": mapping},
        "description": "The body of a completion: `action` (one of the task's `actions`) and that action's "
                       "fields.",
    }
    operation["requestBody"] = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CompleteIn"}}},
        "required": True,
    }
    return result
