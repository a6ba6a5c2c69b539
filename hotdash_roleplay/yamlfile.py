"""Reading human-edited YAML files into pydantic models, with one clear Problem per issue.

Shared by scenarios, session plans and the checklist so every file the trainer can touch is
refused the same way: the file name, then the line (and column) or the field path, then what is
wrong in plain words. Nothing here raises anything but ``InvalidFile`` for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hotdash_roleplay.errors import InvalidFile, Problem
from hotdash_roleplay.validation import describe_error, value_kind

MAX_FILE_BYTES = 1024 * 1024  # "1 MB": refused before reading, so a stray dump cannot stall the app

M = TypeVar("M", bound=BaseModel)
Loc = Sequence[int | str]


class _AliasUsed(yaml.MarkedYAMLError):
    """Aliases are refused: they let a small file expand into a huge structure."""


class _DuplicateKey(yaml.MarkedYAMLError):
    """PyYAML silently keeps the last of two equal keys; a trainer would lose text unnoticed."""


class _Checks(yaml.constructor.SafeConstructor):
    """yaml.SafeLoader's behaviour minus two traps for hand-edited files (see also resolvers).

    - Duplicate keys in one mapping are an error, see ``_DuplicateKey``.
    - No base-60 numbers (``_without_base_60``): YAML 1.1 reads ``2:00`` as the integer 120,
      which would turn a two-minute phase into two hours. Here ``2:00`` stays text.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                first = seen.setdefault(key_node.value, key_node)
                if first is not key_node:
                    raise _DuplicateKey(
                        None,
                        None,
                        f"duplicate key '{key_node.value}' (already set at line "
                        f"{first.start_mark.line + 1}); keep only one",
                        key_node.start_mark,
                    )
        return super().construct_mapping(node, deep=deep)


class _Loader(_Checks, yaml.SafeLoader):
    pass


# libyaml parses about 10x faster, but its composer recurses in C: a deeply nested file would
# crash the process instead of raising RecursionError. It is used only when the text cannot
# nest deeper than _C_MAX_DEPTH (see _depth_bound); otherwise the pure-Python loader is.
_FastLoader: type[yaml.CSafeLoader] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(_Checks, yaml.CSafeLoader):
        pass

    _FastLoader = _CLoader
_C_MAX_DEPTH = 500


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth: every level opens with a bracket, a block
    indicator ("-", "?") or a new, deeper-indented line."""
    brackets = text.count("[") + text.count("{")
    lines = sum(text.count(br) for br in ("\n", "\r", "\x85", "\u2028", "\u2029"))
    return 2 * brackets + text.count("-") + text.count("?") + lines + 1


def _without_base_60(loader: type[yaml.resolver.Resolver]) -> None:
    numbers = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    loader.yaml_implicit_resolvers = {
        first: [
            (tag, re.compile(r"(?!.*:)" + rx.pattern, rx.flags) if tag in numbers else rx)
            for tag, rx in resolvers
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


for _cls in (_Loader, _FastLoader):
    if _cls is not None:
        _without_base_60(_cls)


def _refuse_aliases(root: yaml.Node) -> None:
    """An alias makes the composer reuse a node: a node met twice means ``*name`` was used."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Node]] = [(root, root)]  # (node, where it is written)
    while stack:
        node, at = stack.pop()
        if id(node) in seen:
            raise _AliasUsed(
                None,
                None,
                "YAML aliases (*name) are not supported; write the value out",
                at.start_mark,
            )
        seen.add(id(node))
        # Children pushed in reverse so they are visited in document order: the anchor first.
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                stack.append((value_node, key_node))
                stack.append((key_node, key_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, node) for item in reversed(node.value))


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its data plus the node tree, kept to turn field paths into lines."""

    source: str
    data: dict[str, Any]
    root: yaml.MappingNode

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the key or item at ``loc``; for a missing key, its parent's line.

        A missing top-level field has no line (None): the whole file is the parent.
        """
        node: yaml.Node = self.root
        line: int | None = None
        for part in loc:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                        child, line = value_node, key_node.start_mark.line + 1
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                return None if node is self.root else node.start_mark.line + 1
            node = child
        return line

    def where(self, loc: Loc) -> str:
        """Problem.where for ``loc``: "line 12, field ai_draft.confidence", or only the field
        when it has no line (a missing top-level field)."""
        path = field_path(loc)
        line = self.line_of(loc)
        if not path:
            return ""
        return f"line {line}, field {path}" if line else f"field {path}"

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.source, self.where(loc), message)


def field_path(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def _fail(source: str, where: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(source, where, message)])


def read_text(path: Path | str) -> str:
    """The file as text, refused (InvalidFile) when missing, too large or not UTF-8."""
    path = Path(path)
    source = str(path)
    try:
        if path.is_dir():
            raise _fail(source, "", "is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(source, "", _too_large(size))
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise _fail(source, "", "file not found") from None
    except PermissionError:
        raise _fail(source, "", "cannot read the file: permission denied") from None
    except OSError as exc:
        raise _fail(source, "", f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(source, "", _too_large(len(raw)))
    try:
        return raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(
            source,
            f"line {line}",
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read); save the file as UTF-8",
        ) from None


def _too_large(size: int) -> str:
    return (
        f"file is larger than 1 MB ({size:,} bytes, limit {MAX_FILE_BYTES:,}); "
        "not read — is this the right file?"
    )


def parse_mapping(text: str, source: str) -> YamlDocument:
    """Parse YAML text whose top level must be a mapping; InvalidFile otherwise."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise _fail(source, "", _too_large(len(text.encode("utf-8"))))
    if not text.strip():
        raise _fail(source, "", "file is empty")
    fast = _FastLoader is not None and _depth_bound(text) <= _C_MAX_DEPTH
    loader_class: type[yaml.SafeLoader | yaml.CSafeLoader] = (
        _FastLoader if fast and _FastLoader else _Loader
    )
    loader: yaml.SafeLoader | yaml.CSafeLoader | None = None
    try:
        loader = loader_class(text)  # checks for unprintable characters straight away
        # The same two steps as yaml.safe_load, keeping the node tree for line numbers.
        root = loader.get_single_node()
        data = None
        if root is not None:
            _refuse_aliases(root)
            data = loader.construct_document(root)
    except (_AliasUsed, _DuplicateKey) as exc:
        raise _fail(source, _mark_where(exc.problem_mark), str(exc.problem)) from None
    except yaml.constructor.ConstructorError as exc:
        message = f"unsupported YAML value: {exc.problem}"
        raise _fail(source, _mark_where(exc.problem_mark), message) from None
    except yaml.MarkedYAMLError as exc:
        detail = exc.problem or "unreadable"
        if exc.context:
            started = exc.context_mark
            at = f" at line {started.line + 1}, column {started.column + 1}" if started else ""
            detail = f"{detail} ({exc.context}{at})"
        raise _fail(source, _mark_where(exc.problem_mark), f"YAML syntax error: {detail}") from None
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text, PyYAML a character offset.
        if fast:
            line = text.encode("utf-8")[: exc.position].count(b"\n") + 1
        else:
            line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise _fail(
            source, f"line {line}", f"character U+{code:04X} is not allowed in a YAML file"
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(source, "", f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise _fail(source, "", "YAML is nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None or root is None:
        raise _fail(source, "", "file is empty (no fields, only comments or null)")
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise _fail(
            source,
            f"line {root.start_mark.line + 1}",
            f"the top level must be a mapping of fields (key: value lines), not {value_kind(data)}",
        )
    return YamlDocument(source, data, root)


def _mark_where(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def read_mapping(path: Path | str) -> YamlDocument:
    return parse_mapping(read_text(path), str(path))


def validate(doc: YamlDocument, model: type[M]) -> M:
    """The document as ``model``; InvalidFile with one Problem per validation error."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidFile(
            [doc.problem(err["loc"], describe_error(err, model)) for err in exc.errors()]
        ) from None


def load_model(path: Path | str, model: type[M]) -> tuple[M, YamlDocument]:
    doc = read_mapping(path)
    return validate(doc, model), doc


def load_models(
    paths: Iterable[Path | str], model: type[M]
) -> tuple[list[tuple[M, YamlDocument]], list[Problem]]:
    """Every file, collecting the problems of all of them instead of stopping at the first."""
    loaded: list[tuple[M, YamlDocument]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(load_model(path, model))
        except InvalidFile as exc:
            problems.extend(exc.problems)
    return loaded, problems


def yaml_files(folders: Iterable[Path | str]) -> tuple[list[Path], list[Problem]]:
    """The *.yaml / *.yml files of each folder in name order; a missing folder is a Problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            problems.append(Problem(str(folder), "", "folder not found"))
            continue
        found = [p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()]
        files.extend(sorted(found, key=lambda p: p.name))
    return files, problems


def duplicate_id_problems(docs: Iterable[tuple[str, YamlDocument]], what: str) -> list[Problem]:
    """One Problem per id defined twice, naming both files."""
    first: dict[str, YamlDocument] = {}
    problems: list[Problem] = []
    for ident, doc in docs:
        earlier = first.setdefault(ident, doc)
        if earlier is not doc:
            line = earlier.line_of(("id",))
            at = f"{earlier.source}, line {line}" if line else earlier.source
            problems.append(doc.problem(("id",), f"duplicate {what} id '{ident}': also in {at}"))
    return problems


# --- writing ----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key, as people do


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block so it reads as written; long lines folded (">") so
    # they wrap without quotes. PyYAML falls back to quoting when a style cannot hold the text.
    style: str | None
    if any(char in value for char in "\r\x85\u2028\u2029"):
        style = '"'  # rare line breaks survive only as escapes (PyYAML mangles them otherwise)
    elif "\n" in value:
        style = "|"
    else:
        style = ">" if len(value) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict[str, Any], header: str | None = None) -> str:
    """Block-style YAML in the given key order; ``header`` lines become comments on top."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    if not header:
        return body
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + body
