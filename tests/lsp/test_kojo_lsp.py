"""`kojo lsp` driven by a real LSP client (pytest-lsp, on pygls) over stdio.

Run by tests/lsp.rs, which passes the kojo binary in KOJO and a copy of
the small example in KOJO_PROJECT (a fresh one per test run).
"""

import asyncio
import os
import pathlib
import re
import subprocess

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

KOJO = os.environ["KOJO"]
PROJECT = pathlib.Path(os.environ["KOJO_PROJECT"])
PLANT = PROJECT / "plant.kojo"


def uri(path: pathlib.Path) -> str:
    return path.as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[KOJO, "lsp"]))
async def client(lsp_client: LanguageClient):
    record(lsp_client)
    # What the server said it can do, for the tests that read its legend.
    lsp_client.initialized_with = await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            workspace_folders=[t.WorkspaceFolder(uri=uri(PROJECT), name="plant")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_plant(client: LanguageClient, text: str | None = None) -> str:
    text = PLANT.read_text() if text is None else text
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(t.TextDocumentItem(uri=uri(PLANT), language_id="kojo", version=1, text=text))
    )
    await diagnostics_for(client, uri(PLANT))
    return text


# Every diagnostics notification, in order, per client: the client's own
# `diagnostics` holds only the latest list (and an empty one may be the
# same object every time), so a wait between two notifications could miss one.
_published: dict[int, list[t.PublishDiagnosticsParams]] = {}
_read: dict[tuple[int, str], int] = {}


def record(client: LanguageClient) -> None:
    # A new client may reuse a freed one's id: start from nothing.
    notes = _published[id(client)] = []
    for key in [k for k in _read if k[0] == id(client)]:
        del _read[key]
    handler = client.protocol.fm.features.get(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    def both(params: t.PublishDiagnosticsParams):
        notes.append(params)
        if handler is not None:
            handler(params)

    client.protocol.fm.features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = both


async def diagnostics_for(client: LanguageClient, target: str) -> list[t.Diagnostic]:
    """The next diagnostics published for `target` not yet read."""
    notes = _published.setdefault(id(client), [])
    for _ in range(300):
        start = _read.get((id(client), target), 0)
        for index in range(start, len(notes)):
            if notes[index].uri == target:
                _read[(id(client), target)] = index + 1
                return notes[index].diagnostics
        _read[(id(client), target)] = start
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no diagnostics for {target}")


def change(client: LanguageClient, text: str, version: int) -> None:
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri(PLANT), version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def position_of(text: str, needle: str, offset: int = 0) -> t.Position:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return t.Position(line=line, character=column)


def doc() -> t.TextDocumentIdentifier:
    return t.TextDocumentIdentifier(uri=uri(PLANT))


async def test_diagnostics_follow_unsaved_edits_and_syntax_errors(client: LanguageClient):
    text = await open_plant(client)
    # An unknown zone, not saved: reported where `kojo check` reports it.
    broken = text.replace(" in control {", " in contrl {", 1)
    assert broken != text
    change(client, broken, 2)
    found = await diagnostics_for(client, uri(PLANT))
    unknown = [d for d in found if d.code == "KOJO-E0201"]
    assert unknown, found
    assert "did you mean `control`?" in unknown[0].message
    assert unknown[0].range.start == position_of(broken, "contrl {")
    # A syntax error: one diagnostic, the server alive.
    change(client, broken + "\nzone {\n", 3)
    found = await diagnostics_for(client, uri(PLANT))
    assert any(d.code == "KOJO-E0001" for d in found), found
    # Fixed again: the file's diagnostics are only findings, if any.
    change(client, text, 4)
    found = await diagnostics_for(client, uri(PLANT))
    assert all(not d.code.startswith("KOJO-") for d in found), found
    assert PLANT.read_text() == text, "nothing is written to disk"


async def test_hover_definition_references_in_a_project_with_errors(client: LanguageClient):
    text = await open_plant(client)
    at_use = position_of(text, " in control {", 4)
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc(), position=at_use))
    assert hover is not None and "**zone `control`**" in hover.contents.value, hover
    assert "declared in `plant.kojo`, line" in hover.contents.value, "named from the project root"
    assert "tier in force" in hover.contents.value and "controls in force" in hover.contents.value
    definition = await client.text_document_definition_async(t.DefinitionParams(text_document=doc(), position=at_use))
    assert definition.range.start == position_of(text, "zone control", 5)
    refs = await client.text_document_references_async(
        t.ReferenceParams(text_document=doc(), position=at_use, context=t.ReferenceContext(include_declaration=True))
    )
    assert len(refs) >= 3, refs
    # With a syntax error elsewhere, navigation still works.
    change(client, text + "\nzone {\n", 2)
    await diagnostics_for(client, uri(PLANT))
    definition = await client.text_document_definition_async(t.DefinitionParams(text_document=doc(), position=at_use))
    assert definition is not None and definition.range.start == position_of(text, "zone control", 5)
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc(), position=at_use))
    assert "once it compiles" in hover.contents.value


async def test_hover_on_a_control_shows_its_page(client: LanguageClient):
    text = await open_plant(client)
    at = position_of(text, "ip-mac-restriction", 3)
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc(), position=at))
    assert hover is not None and "ip-mac-restriction" in hover.contents.value, hover


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[KOJO, "lsp"]))
async def client_ja(lsp_client: LanguageClient):
    """A client whose editor runs in Japanese (VS Code sends `locale`)."""
    record(lsp_client)
    await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            locale="ja-JP",
            workspace_folders=[t.WorkspaceFolder(uri=uri(PROJECT), name="plant")],
        )
    )
    yield
    await lsp_client.shutdown_session()


WAIVER = '\nwaive ANY-ENDPOINT on asset plc1 { compensating [ids] }\n'


async def test_explain_pages_in_hovers_follow_the_editors_language(client: LanguageClient, client_ja: LanguageClient):
    for each in (client, client_ja):
        text = await open_plant(each, PLANT.read_text() + WAIVER)
    rule = position_of(text, "ANY-ENDPOINT", 3)
    english = await client.text_document_hover_async(t.HoverParams(text_document=doc(), position=rule))
    japanese = await client_ja.text_document_hover_async(t.HoverParams(text_document=doc(), position=rule))
    assert english.contents.value.startswith("# ANY-ENDPOINT: ") and "## How to fix" in english.contents.value
    assert japanese.contents.value.startswith("# ANY-ENDPOINT: ") and "## 直し方" in japanese.contents.value
    # A control's page is written from the catalogue, in the same language.
    control = position_of(text, "ip-mac-restriction", 3)
    page = await client_ja.text_document_hover_async(t.HoverParams(text_document=doc(), position=control))
    headings = [line for line in page.contents.value.splitlines() if line.startswith("## ")]
    assert headings and all(re.search("[\u3040-\u30ff\u4e00-\u9fff]", h) for h in headings), page.contents.value


async def test_rename_refuses_a_clash_and_renames_everywhere(client: LanguageClient):
    text = await open_plant(client)
    at = position_of(text, "zone control", 5)
    with pytest.raises(Exception, match="already has that name"):
        await client.text_document_rename_async(t.RenameParams(text_document=doc(), position=at, new_name="oa"))
    edit = await client.text_document_rename_async(t.RenameParams(text_document=doc(), position=at, new_name="floor"))
    edits = [e for changes in edit.changes.values() for e in changes]
    uses = text.count(" in control {") + 1
    assert len(edits) >= uses, edits
    assert all(e.new_text == "floor" for e in edits)
    # Applied to the files, the project still checks: every use was renamed.
    originals = {u: pathlib.Path(u.removeprefix("file://")).read_text() for u in edit.changes}
    for file_uri, changes in edit.changes.items():
        path = pathlib.Path(file_uri.removeprefix("file://"))
        lines = path.read_text().split("\n")
        for e in sorted(changes, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            assert e.range.start.line == e.range.end.line
            line = lines[e.range.start.line]
            assert line[e.range.start.character : e.range.end.character] == "control", line
            lines[e.range.start.line] = line[: e.range.start.character] + "floor" + line[e.range.end.character :]
        path.write_text("\n".join(lines))
    checked = subprocess.run([KOJO, "check", "--format", "concise", str(PROJECT)], capture_output=True, text=True)
    assert "KOJO-E" not in checked.stdout, checked.stdout
    # Put the project back for the other tests.
    for file_uri, text in originals.items():
        pathlib.Path(file_uri.removeprefix("file://")).write_text(text)


async def test_completion_formatting_and_symbols(client: LanguageClient):
    text = await open_plant(client)
    edited = text + '\nasset new_pc "New" in '
    change(client, edited, 2)
    await diagnostics_for(client, uri(PLANT))
    end = t.Position(line=edited.count("\n"), character=len(edited.rsplit("\n", 1)[1]))
    found = await client.text_document_completion_async(t.CompletionParams(text_document=doc(), position=end))
    labels = {i.label for i in found.items}
    assert {"control", "oa"} <= labels and not found.is_incomplete, labels
    # A hyphenated word is replaced whole, and only what starts with it is offered.
    typing = text + "\nconduit x from oa to control {\n  allow a -> b service modbus-tc"
    change(client, typing, 3)
    await diagnostics_for(client, uri(PLANT))
    end = t.Position(line=typing.count("\n"), character=len(typing.rsplit("\n", 1)[1]))
    found = await client.text_document_completion_async(t.CompletionParams(text_document=doc(), position=end))
    assert [i.label for i in found.items] == ["modbus-tcp"], found.items
    replaced = found.items[0].text_edit.range
    assert (replaced.start.character, replaced.end.character) == (end.character - len("modbus-tc"), end.character)
    # A value takes no completion.
    typing = text + "\nzone x {\n  subnet 10."
    change(client, typing, 4)
    await diagnostics_for(client, uri(PLANT))
    end = t.Position(line=typing.count("\n"), character=len(typing.rsplit("\n", 1)[1]))
    found = await client.text_document_completion_async(t.CompletionParams(text_document=doc(), position=end))
    assert found is None or not found.items, found
    change(client, text, 5)
    await diagnostics_for(client, uri(PLANT))
    messy = text.replace("\n  kind plc\n", "\n      kind    plc\n", 1)
    change(client, messy, 6)
    await diagnostics_for(client, uri(PLANT))
    edits = await client.text_document_formatting_async(
        t.DocumentFormattingParams(text_document=doc(), options=t.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert len(edits) == 1 and edits[0].new_text == subprocess.run(
        [KOJO, "fmt", "-"], input=messy, capture_output=True, text=True, check=True
    ).stdout
    outline = await client.text_document_document_symbol_async(t.DocumentSymbolParams(text_document=doc()))
    names = [s.name for s in outline]
    assert "control" in names and "plc1" in names, names
    found = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="plc"))
    assert any(s.name == "plc1" for s in found), found


async def test_what_the_build_would_refuse_follows_the_check(client: LanguageClient):
    """The in-memory build runs once the editor is idle; its refusals arrive
    as diagnostics like `kojo check`'s (here: interface names Junos does not
    accept, with juniper-srx selected in the unsaved manifest)."""
    await open_plant(client)
    manifest = PROJECT / "kojo.kdl"
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            t.TextDocumentItem(
                uri=uri(manifest),
                language_id="kdl",
                version=1,
                text=manifest.read_text() + 'backend "juniper-srx"\n',
            )
        )
    )
    # The client keeps the latest diagnostics of each file.
    for _ in range(300):
        if any(d.code == "KOJO-E0401" for d in client.diagnostics.get(uri(PLANT), [])):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail(f"the build's refusal never arrived: {client.diagnostics.get(uri(PLANT))}")
    expected = subprocess.run([KOJO, "check", "--format", "concise", str(PROJECT)], capture_output=True, text=True)
    assert "KOJO-E0401" not in expected.stdout, "on disk the manifest selects no backend"


def apply(text: str, edits: list[t.TextEdit]) -> str:
    """`edits` applied to `text` (positions in UTF-16, ASCII here), last first."""
    lines = text.split("\n")

    def offset(p: t.Position) -> int:
        return sum(len(line) + 1 for line in lines[: p.line]) + p.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


async def actions_for(client: LanguageClient, diagnostic: t.Diagnostic) -> list[t.CodeAction]:
    found = await client.text_document_code_action_async(
        t.CodeActionParams(text_document=doc(), range=diagnostic.range, context=t.CodeActionContext(diagnostics=[diagnostic]))
    )
    return [a for a in found or [] if isinstance(a, t.CodeAction)]


async def test_quick_fixes_take_the_suggestion_add_a_control_and_a_waiver_skeleton(client: LanguageClient):
    text = await open_plant(client)
    # A misspelt zone: the fix is the suggestion.
    broken = text.replace(" in control {", " in contrl {", 1)
    change(client, broken, 2)
    unknown = [d for d in await diagnostics_for(client, uri(PLANT)) if d.code == "KOJO-E0201"]
    fixes = await actions_for(client, unknown[0])
    assert [a.title for a in fixes] == ["Change to `control`"], fixes
    assert apply(broken, fixes[0].edit.changes[uri(PLANT)]) == text
    # A new PLC without the controls its tier asks for: findings, each with
    # a fix per missing control and a waiver skeleton.
    added = text + '\nasset plc9 "PLC 9" in control {\n  kind plc\n  ip 192.168.20.99\n}\n'
    change(client, added, 3)
    findings = [d for d in await diagnostics_for(client, uri(PLANT)) if d.data and "asset:plc9" in d.data["fingerprint"]]
    assert findings, "the new PLC has findings"
    titles: list[str] = []
    for finding in findings:
        fixes = await actions_for(client, finding)
        titles += [a.title for a in fixes]
        control = next((a for a in fixes if a.title.startswith("Add control")), None)
        if control is not None:
            name = control.title.split("`")[1]
            fixed = apply(added, control.edit.changes[uri(PLANT)])
            assert f"  ip 192.168.20.99\n  controls [{name}]\n}}" in fixed, fixed[-200:]
            # The file still parses and checks: the control is in force.
            change(client, fixed, 4)
            after = await diagnostics_for(client, uri(PLANT))
            assert not any(d.code.startswith("KOJO-E") for d in after), after
            change(client, added, 5)
            await diagnostics_for(client, uri(PLANT))
            break
    else:
        raise AssertionError(f"no finding of plc9 offers a control: {titles}")
    waive = next(a for a in await actions_for(client, findings[0]) if a.title.startswith("Waive "))
    rule = findings[0].code
    with_waiver = apply(added, waive.edit.changes[uri(PLANT)])
    assert f"waive {rule} on asset plc9 {{" in with_waiver, with_waiver[-300:]
    # Until someone writes why and until when, it is an error, never a waiver.
    change(client, with_waiver, 6)
    after = await diagnostics_for(client, uri(PLANT))
    missing = [d.message for d in after if "gives no `reason`" in d.message or "has no expiry" in d.message]
    assert len(missing) == 2, after


async def test_semantic_tokens_say_what_a_name_is_and_hints_show_zone_tiers(client: LanguageClient):
    text = await open_plant(client)
    legend = client.initialized_with.capabilities.semantic_tokens_provider.legend
    found = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(text_document=doc()))
    tokens, line, column = {}, 0, 0
    data = found.data
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, modifiers = data[i : i + 5]
        line += delta_line
        column = delta_start if delta_line else column + delta_start
        tokens[(line, column)] = (length, legend.token_types[kind], modifiers)
    declared = position_of(text, "zone control ", len("zone "))
    assert tokens[(declared.line, declared.character)] == (len("control"), "namespace", 1), tokens
    used = position_of(text, " in control {", len(" in "))
    assert tokens[(used.line, used.character)] == (len("control"), "namespace", 0)
    plc = position_of(text, "asset plc1 ", len("asset "))
    assert tokens[(plc.line, plc.character)][1] == "variable"
    # Zones' tiers after their names, once the project compiles.
    whole = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=len(text.split("\n")), character=0))
    hints = await client.text_document_inlay_hint_async(t.InlayHintParams(text_document=doc(), range=whole))
    after = position_of(text, "zone control ", len("zone control"))
    labels = [h.label for h in hints if h.position == after]
    assert labels and labels[0].startswith("tier "), hints
