"""Stage 7b, the checker's validators: the Input models' core schema as closed typed dicts.

The request checker needs only validation errors, not model objects: ~10,000 pydantic models cost
about 2 µs each, the same schema with every model node a closed typed dict (same fields, same
`extra="forbid"`, same union members and tags, so the same error types and locations) a third of
that. This stage derives that schema once, here, from the freshly generated (formatted) Input
models, and `templates/validation.py.jinja` emits it as `_generated/inputs/validation.py`; the
runtime builds `SchemaValidator`s from it and rewrites nothing (issue 12). Two item unions share
the member schemas:

- `exact`: the generated item union, its discriminator (the generated `_tag`) unchanged: the
  errors the models give.
- `fast`: told apart in Rust by the item's `type`, else its `role`, a message then by its `role`
  and the shape of its `content` (`messages_by_role`): no Python call per item. It accepts only
  what `exact` accepts; what it refuses the checker validates again with `exact`.

The models' schema is read in a fresh interpreter that imports the new files from stdin (as
`smoke` does), so no generated module is imported here. The result is cached by the sha256 of
the input package, pydantic's and pydantic-core's versions. A schema node the rewrite does not
understand (a validator function, a custom init) stops regen, naming it: no silent fallback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_SKIP_NODES = frozenset({"function-before", "function-after", "function-wrap", "function-plain"})
#: keys of a core schema node that do not change what validates (and may hold Python objects)
_DROP_KEYS = frozenset({"metadata", "serialization", "cls", "custom_error_context"})


class UnsupportedSchema(Exception):
    """The core schema holds a node the typed-dict rewrite would change the meaning of."""


def rewrite(node: Any) -> Any:
    """A model's core schema as closed typed dicts; an absent optional key stays absent."""
    if isinstance(node, Mapping):
        kind = node.get("type")
        if not isinstance(kind, str):  # e.g. a model's `fields` mapping with a field named `type`
            kind = None
        if kind in _SKIP_NODES:
            raise UnsupportedSchema(str(kind))
        if kind == "model":
            return _typed_dict(node)
        return {k: rewrite(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [rewrite(v) for v in node]
    return node


def _typed_dict(node: Mapping[str, Any]) -> dict[str, Any]:
    if node.get("custom_init") or node.get("root_model") or node.get("post_init"):
        raise UnsupportedSchema(f"model {node.get('cls')!r}")
    inner = node["schema"]
    if inner.get("type") != "model-fields" or inner.get("computed_fields"):
        raise UnsupportedSchema(f"model {node.get('cls')!r}")
    fields: dict[str, Any] = {}
    for name, field in inner["fields"].items():
        schema = rewrite(field["schema"])
        optional = schema.get("type") == "default"
        out: dict[str, Any] = {
            "type": "typed-dict-field",
            # no default filled in: the validated dict has exactly the keys it was given
            "schema": schema["schema"] if optional else schema,
            "required": not optional,
        }
        if "validation_alias" in field:
            out["validation_alias"] = field["validation_alias"]
        fields[name] = out
    config = node.get("config") or {}
    typed: dict[str, Any] = {
        "type": "typed-dict",
        "fields": fields,
        "extra_behavior": config.get("extra_fields_behavior", "ignore"),
    }
    if "ref" in node:
        typed["ref"] = node["ref"]
    return typed


def messages_by_role(choices: Mapping[str, Any], definitions: list[Any]) -> dict[str, Any]:
    """The message members told apart in Rust, as `_discriminators.choose_member` picks them.

    The generated discriminator picks, for the item's role, the member whose `content` is a list
    when it is one (one such member per role), else the member that also takes a string. Here
    each role gets those two in that order, the second admitting only its string branch, in a
    left-to-right union: the first that validates is the member the generated one chooses, and
    when neither does `exact` reports. Read from the schema (the role literals, the content
    shapes); another shape is an `UnsupportedSchema`.
    """
    by_ref = {d.get("ref"): d for d in definitions}
    lists: dict[str, Any] = {}  # role -> the member whose content is a list
    takes_string: dict[str, tuple[Any, Any]] = {}  # role -> (that member, its string branch only)
    for ref in choices.values():
        member = by_ref.get(ref.get("schema_ref"))
        if member is None or member.get("type") != "typed-dict":
            raise UnsupportedSchema(f"message member {ref.get('schema_ref')!r}")
        roles = member["fields"]["role"]["schema"]
        content = member["fields"]["content"]
        if roles.get("type") != "literal":
            raise UnsupportedSchema(f"message member {ref.get('schema_ref')!r}: role")
        kind = content["schema"].get("type")
        if kind == "list":
            table: dict[str, Any] = lists
            schema: Any = ref
        elif kind == "union":
            branch = [c for c in content["schema"]["choices"] if c.get("type") == "str"]
            if len(branch) != 1:
                raise UnsupportedSchema("a message's `content` union without one string branch")
            fields = {**member["fields"], "content": {**content, "schema": branch[0]}}
            table = takes_string
            schema = (ref, {k: v for k, v in member.items() if k != "ref"} | {"fields": fields})
        else:
            raise UnsupportedSchema(f"message member {ref.get('schema_ref')!r}: content")
        for role in roles["expected"]:
            if role in table:
                raise UnsupportedSchema(f"two message members for role {role!r}")
            table[role] = schema
    by_role: dict[str, Any] = {}
    for role in sorted({*lists, *takes_string}):
        # a list content: the list member; else the member that takes a string (only its
        # string branch when a list member exists: a list there is the list member's to check)
        options = [lists[role]] if role in lists else []
        if role in takes_string:
            whole, string_only = takes_string[role]
            options.append(string_only if options else whole)
        by_role[role] = (
            options[0]
            if len(options) == 1
            else {"type": "union", "choices": options, "mode": "left_to_right"}
        )
    return {"type": "tagged-union", "choices": by_role, "discriminator": "role"}


def _stable(node: Any, names: Mapping[str, str]) -> Any:
    """Refs renamed `module.Class` (pydantic's carry an `id()`); no metadata, no Python objects."""
    if isinstance(node, Mapping):
        if not isinstance(node.get("type"), str):  # `fields`, `choices`: keys are names, tags
            return {k: _stable(v, names) for k, v in node.items()}
        out = {}
        for k, v in node.items():
            if k in _DROP_KEYS:
                continue
            out[k] = names[v] if k in ("ref", "schema_ref") else _stable(v, names)
        return out
    if isinstance(node, list):
        return [_stable(v, names) for v in node]
    if node is None or isinstance(node, str | int | float | bool):
        return node
    raise UnsupportedSchema(f"a {type(node).__name__} in the schema")


def _refs(node: Any) -> set[str]:
    """Every `ref` a schema node defines (in `definitions` or inline, where it is used once)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, Mapping):
            if isinstance(cur.get("type"), str) and isinstance(cur.get("ref"), str):
                found.add(cur["ref"])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def derive(core_schema: Mapping[str, Any], package: str) -> dict[str, Any]:
    """The item list's core schema, rewritten, in parts the template puts together (JSON only).

    `core_schema` is `InputItemListAdapter.core_schema`: a `definitions` node around the list of
    the tagged item union (its discriminator the generated `_tag`, re-attached by the template).
    """
    items = rewrite(core_schema)
    if items.get("type") != "definitions" or items["schema"].get("type") != "list":
        raise UnsupportedSchema("the input list schema is not a list with definitions")
    union = items["schema"]["items_schema"]
    if union.get("type") != "tagged-union" or not callable(union.get("discriminator")):
        raise UnsupportedSchema("the item union is not tagged by the generated discriminator")
    if set(union) != {"type", "choices", "discriminator"} or set(items["schema"]) != {
        "type",
        "items_schema",
    }:
        raise UnsupportedSchema("the item union or its list has options the template drops")
    definitions = items["definitions"]
    prefix = f"{package}."
    names = {ref: ref.split(":", 1)[0].removeprefix(prefix) for ref in _refs(items)}
    if len(set(names.values())) != len(names):
        raise UnsupportedSchema("two definitions under one class name")
    choices = union["choices"]
    messages = {k: v for k, v in choices.items() if k.startswith("message:")}
    fast: dict[str, Any] = {k: v for k, v in choices.items() if k not in messages}
    message: dict[str, Any] | None = None
    if messages:
        message = messages_by_role(messages, definitions)
        if set(message["choices"]) & set(fast):
            raise UnsupportedSchema("a message role that is also an item type")
    return {
        "definitions": sorted(
            (_stable(d, names) for d in definitions), key=lambda d: str(d.get("ref"))
        ),
        "exact_choices": _stable(choices, names),
        "fast_by_type": _stable(fast, names),
        "message": _stable(message, names),
        # a message's own tag, and each role (a message without `type`)
        "message_keys": ["message", *message["choices"]] if message else [],
    }


# A fresh interpreter: the runtime package importable without its `__init__`, the new files
# served as its `_generated` (smoke's import hook), the Input models' list schema derived.
_PROGRAM = """
import importlib, importlib.util, json, sys
sys.path.insert(0, ROOT)
from codegen.checker_schema import derive
from codegen.smoke import FINDER
exec(FINDER)
runtime_spec = importlib.util.find_spec("responses_replay")
sys.modules["responses_replay"] = importlib.util.module_from_spec(runtime_spec)
files = json.load(sys.stdin)
sys.meta_path.insert(0, Files("responses_replay._generated", "<regen>/_generated", files))
inputs = importlib.import_module("responses_replay._generated.inputs")
print(json.dumps(derive(inputs.InputItemListAdapter.core_schema, inputs.__name__)))
"""


def derive_from_files(files: Mapping[str, str]) -> dict[str, Any]:
    """`derive` run on the generated package `files` ({path: text}) in a fresh interpreter."""
    from .errors import CodegenError

    root = Path(__file__).resolve().parent.parent
    program = f"ROOT = {str(root)!r}\n{_PROGRAM}"
    proc = subprocess.run(
        [sys.executable, "-c", program],
        input=json.dumps(dict(files)),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["no message"]
        raise CodegenError(
            "generated inputs", "checker validator", f"cannot derive its schema: {lines[-1]}"
        )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def render_validation(files: Mapping[str, str], header: str) -> str:
    """`inputs/validation.py` (jinja2) for the formatted generated package `files` (cached by the
    sha256 of its Input modules, pydantic's and pydantic-core's versions, this stage's source)."""
    from importlib.metadata import version

    from .load import cached
    from .render import template
    from .source import sha256_of

    inputs = {p: t for p, t in files.items() if p.startswith("inputs/") or p == "__init__.py"}
    stage = Path(__file__).read_text(encoding="utf-8")
    versions = [version("pydantic"), version("pydantic-core")]
    key = sha256_of(json.dumps([inputs, versions, stage]).encode())
    derived = cached(
        f"checker-schema-{key}", lambda: derive_from_files(inputs), lambda v: isinstance(v, dict)
    )
    return template("validation.py.jinja").render(
        header=header,
        definitions=[_definition(d) for d in derived["definitions"]],
        exact_choices=_entries(derived["exact_choices"]),
        by_type=_entries(derived["fast_by_type"]),
        message=derived["message"]
        and {k: literal(v) for k, v in derived["message"].items() if k != "choices"},
        message_roles=_entries((derived["message"] or {}).get("choices", {})),
        message_keys=literal(derived["message_keys"]),
    )


def literal(value: Any) -> str:
    """A JSON value as a Python literal on one line (a JSON string is a Python string literal)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str | int | float):
        return json.dumps(value)
    raise UnsupportedSchema(f"a {type(value).__name__} in the schema")


def _entries(mapping: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key as a literal, value as a literal): one line each in the template."""
    return [(json.dumps(k), literal(v)) for k, v in mapping.items()]


def _definition(node: Mapping[str, Any]) -> dict[str, Any]:
    """A definition for the template: its keys but `fields` on one line, its fields one a line."""
    head = ", ".join(f"{json.dumps(k)}: {literal(v)}" for k, v in node.items() if k != "fields")
    fields = _entries(node["fields"]) if "fields" in node else None
    return {"ref": node.get("ref", ""), "head": head, "fields": fields}
