"""Every string of the back office's own code is translated into Simplified Chinese.

Three checks, each naming what it found:

1. no user-facing literal in our admin code skips gettext (messages, action and column
   descriptions, labels, help texts, titles, refusals, fieldset headings), read with ``ast``;
2. no text in ``templates/admin`` skips ``{% translate %}`` (words between tags, and the
   ``title``, ``placeholder``, ``aria-label`` and ``value`` of buttons);
3. every msgid that code and those templates use has a Chinese translation in
   ``locale/zh_Hans/LC_MESSAGES/django.po`` (or in Django's own catalogue, for the admin's
   words that Django already translates).
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from collections.abc import Iterator
from pathlib import Path

import django
import polib
from django.utils.translation.template import templatize

from tests.factories import PROJECT_DIR

CATALOGUE = PROJECT_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ADMIN_TEMPLATES = PROJECT_DIR / "templates" / "admin"
APPS = ("championships", "entries", "talentpool", "paddock", "core", "staff")
# The back office's own code besides the apps' admin*.py modules.
OTHER_ADMIN_MODULES = (
    "core/check_then_apply.py",
    "core/checked_uploads.py",
    "championships/race_control_admin.py",
    "championships/bundle_admin.py",
    "entries/fia_category_admin.py",
    "entries/fleet_admin.py",
    "staff/views.py",
    "staff/needs.py",
    "staff/tokens.py",
    "cupmanager/urls.py",
)
# The checks of the files staff upload (a race's classification, an FIA category revision, a
# season bundle): their problems are read on the upload pages, so a ValueError's message is
# shown there too. The bundle's export writes files for a command, not for a page.
UPLOAD_CHECK_MODULES = (
    "core/imports/csvfile.py",
    "core/imports/errors.py",
    "core/imports/fields.py",
    "championships/timing.py",
    "championships/results_import.py",
    "entries/fia_categories.py",
)


def admin_modules() -> list[Path]:
    found = {path for app in APPS for path in (PROJECT_DIR / app).glob("*admin*.py")}
    found |= {PROJECT_DIR / name for name in OTHER_ADMIN_MODULES}
    return sorted(found)


def upload_check_modules() -> list[Path]:
    bundle = (PROJECT_DIR / "championships" / "bundle").glob("*.py")
    return [PROJECT_DIR / name for name in UPLOAD_CHECK_MODULES] + sorted(
        path for path in bundle if path.name != "export.py"
    )


def admin_templates() -> list[Path]:
    return sorted(ADMIN_TEMPLATES.rglob("*.html"))


def where(path: Path, line: int, root: Path = PROJECT_DIR) -> str:
    return f"{path.relative_to(root)}:{line}"


# --- 1. Literals that skip gettext ---------------------------------------------------------

# Markup, placeholders and entities carry no words; what is left must have none either.
NO_WORDS = re.compile(r"<[^>]*>|\{[^}]*\}|%\(\w+\)[sdfr]|%[sdfr]|&\w+;|&#\d+;")
WORD = re.compile(r"[A-Za-z]{2,}")

# Keyword arguments and attributes whose value a staff member reads.
SHOWN_NAMES = {
    "description",
    "short_description",
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
    "empty_label",
    "empty_value_display",
    "title",
    "subtitle",
    "message",
    "reason",
}
# Calls whose n-th positional argument is shown: message_user(request, message), ...
SHOWN_POSITIONAL = {
    "message_user": 1,
    "success": 1,
    "error": 1,
    "warning": 1,
    "info": 1,
    "add_message": 2,
    "add_error": 1,
    "ValidationError": 0,
    "PermissionDenied": 0,
    "HttpResponse": 0,
    "HttpResponseBadRequest": 0,
    "format_html": 0,
    # An import's problems: log.add(line, column, message), check.fail(column, message).
    "add": 2,
    "fail": 1,
}
# Raised for programmers, never shown to staff.
PROGRAMMER_ERRORS = {
    "AssertionError",
    "AttributeError",
    "ImproperlyConfigured",
    "KeyError",
    "LookupError",
    "NotImplementedError",
    "RuntimeError",
    "TypeError",
    "ValueError",
}


def has_words(text: str) -> bool:
    return bool(WORD.search(NO_WORDS.sub(" ", text)))


def literal_text(node: ast.AST | None) -> bool:
    """A string written in the code that would reach the page as it is, in English."""
    match node:
        case ast.Constant(value=str(text)):
            return has_words(text)
        case ast.JoinedStr(values=parts):
            return any(literal_text(part) for part in parts)
        case ast.BinOp(left=left, op=ast.Mod()):
            return literal_text(left)
        case ast.Call(func=ast.Attribute(value=value, attr="format")):
            return literal_text(value)
    return False


def called_name(call: ast.Call) -> str:
    match call.func:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return name
    return ""


def shown_arguments(call: ast.Call) -> Iterator[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg in SHOWN_NAMES:
            yield keyword.value
        if keyword.arg == "choices":
            yield from choice_labels(keyword.value)
    position = SHOWN_POSITIONAL.get(called_name(call))
    if position is not None and len(call.args) > position:
        yield call.args[position]


def choice_labels(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.List | ast.Tuple):
        for pair in node.elts:
            if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                yield pair.elts[1]


def assigned_name(target: ast.AST) -> str:
    match target:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return name
    return ""


def shown_assignments(node: ast.Assign | ast.AnnAssign) -> Iterator[ast.AST]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        name = assigned_name(target)
        if name in SHOWN_NAMES:
            yield node.value
        elif name == "fieldsets" and isinstance(node.value, ast.List | ast.Tuple):
            for fieldset in node.value.elts:
                if isinstance(fieldset, ast.Tuple) and fieldset.elts:
                    yield fieldset.elts[0]


def shown_dict_values(node: ast.Dict) -> Iterator[ast.AST]:
    """A template's context ({"title": ...}) or a fieldset's options ({"description": ...})."""
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and key.value in SHOWN_NAMES:
            yield value


def raised_message(node: ast.Raise, unshown: set[str]) -> Iterator[ast.AST]:
    """``raise Refused("...")``: a project's own exception is shown, a programmer's is not."""
    if isinstance(node.exc, ast.Call) and called_name(node.exc) not in unshown:
        yield from node.exc.args[:1]


def shown_nodes(tree: ast.AST, unshown: set[str] = PROGRAMMER_ERRORS) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from shown_arguments(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            yield from shown_assignments(node)
        elif isinstance(node, ast.Dict):
            yield from shown_dict_values(node)
        elif isinstance(node, ast.Raise):
            yield from raised_message(node, unshown)


def untranslated_literals(
    path: Path, root: Path = PROJECT_DIR, unshown: set[str] = PROGRAMMER_ERRORS
) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = {
        (node.lineno, ast.unparse(node))
        for node in shown_nodes(tree, unshown)
        if literal_text(node)
    }
    return [f"{where(path, line, root)}: {text}" for line, text in sorted(found)]


def test_no_shown_literal_of_the_back_office_code_skips_gettext():
    found = [line for path in admin_modules() for line in untranslated_literals(path)]

    assert found == [], "wrap these in gettext / gettext_lazy:\n" + "\n".join(found)


def test_no_problem_that_an_upload_check_reports_skips_gettext():
    shown_errors = PROGRAMMER_ERRORS - {"ValueError"}  # a field parser's ValueError is shown
    found = [
        line
        for path in upload_check_modules()
        for line in untranslated_literals(path, unshown=shown_errors)
    ]

    assert found == [], "wrap these in gettext:\n" + "\n".join(found)


def test_the_check_finds_an_untranslated_message_description_and_column(tmp_path):
    module = tmp_path / "admin.py"
    module.write_text(
        "from django.contrib import admin\n"
        "from django.utils.translation import gettext as _\n"
        "class A(admin.ModelAdmin):\n"
        "    fieldsets = (('Timing', {'fields': ('a',), 'description': 'As sent'}),)\n"
        "    @admin.action(description='Publish the season')\n"
        "    def publish(self, request, queryset):\n"
        "        self.message_user(request, f'{queryset.count()} published')\n"
        "        self.message_user(request, _('Done.'))\n"
        "        self.message_user(request, '%(n)s' % {'n': 1})\n"
        "    def car(self, obj):\n"
        "        return obj.car\n"
        "    car.short_description = 'car'\n"
        "    def save(self):\n"
        "        raise ValidationError('Closed.')\n"
        "        raise ValueError('for programmers')\n"
    )
    lines = [line.split(":")[1] for line in untranslated_literals(module, tmp_path)]

    assert lines == ["4", "4", "5", "7", "12", "14"]


# --- 2. Template text that skips {% translate %} -------------------------------------------

# What is not text a staff member reads: comments, tags, variables, markup.
TEMPLATE_COMMENTS = re.compile(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", re.S)
BLOCKTRANSLATE = re.compile(r"\{% blocktrans(?:late)?\b.*?\{% endblocktrans(?:late)? %\}", re.S)
TEMPLATE_TAGS = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
# Blocks that hold class names and ids, not words: {% block bodyclass %}, {% block problems_id %}
IDENTIFIER_BLOCKS = re.compile(r"\{% block (?:bodyclass|\w+_id) %\}.*?\{% endblock %\}", re.S)
SHOWN_ATTRIBUTE = re.compile(
    r"""\b(?:title|placeholder|aria-label|alt)=(["'])(.*?)\1""", re.S | re.I
)
# A button's value is sent, not shown; an <input type="submit">'s value is its label.
INPUT_BUTTON = re.compile(r"<input\b[^>]*\btype=[\"']?(?:submit|button|reset)\b[^>]*>", re.S | re.I)
INPUT_VALUE = re.compile(r"""\bvalue=(["'])(.*?)\1""", re.S | re.I)
MARKUP = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&\w+;|&#\d+;")


def untranslated_template_text(path: Path, root: Path = PROJECT_DIR) -> list[str]:
    source = TEMPLATE_COMMENTS.sub(blank_lines, path.read_text())
    source = BLOCKTRANSLATE.sub(blank_lines, source)
    source = SCRIPTS.sub(blank_lines, source)
    source = IDENTIFIER_BLOCKS.sub(blank_lines, source)
    source = TEMPLATE_TAGS.sub(lambda m: blank_lines(m, " TAG "), source)
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        attributes = [m.group(2) for m in SHOWN_ATTRIBUTE.finditer(line)] + [
            m.group(2)
            for button in INPUT_BUTTON.finditer(line)
            for m in INPUT_VALUE.finditer(button.group(0))
        ]
        text = ENTITY.sub(" ", MARKUP.sub(" ", line)).replace("TAG", " ")
        for shown in [text, *attributes]:
            if WORD.search(shown.replace("TAG", " ")):
                found.append(f"{where(path, number, root)}: {shown.strip()}")
    return found


def blank_lines(match: re.Match, filler: str = "") -> str:
    """The match replaced, keeping its line breaks so that line numbers stay right."""
    return filler + "\n" * match.group(0).count("\n")


def test_no_text_of_the_back_office_templates_skips_translate():
    found = [line for path in admin_templates() for line in untranslated_template_text(path)]

    assert found == [], "wrap these in {% translate %}:\n" + "\n".join(found)


def test_the_template_check_finds_bare_words_and_attributes(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}{# a note #}\n"
        "<h1>{% translate 'Versions' %}</h1>\n"
        "<p>Nothing here</p>\n"
        '<input type="submit" value="Apply"><input type="hidden" name="post" value="yes">\n'
        '{% block bodyclass %}change-form{% endblock %}<button value="issue">Issue</button>\n'
        "{% blocktranslate %}Race {{ number }}{% endblocktranslate %} {{ race }} &rsaquo;\n"
        "{% comment %}Why\nthis{% endcomment %}<a title=\"{% translate 'Back' %}\">x</a>\n"
    )
    found = [line.split(": ", 1)[1] for line in untranslated_template_text(template, tmp_path)]

    assert found == ["Nothing here", "Apply", "Issue"]


# --- 3. Every msgid has a Chinese translation ----------------------------------------------

GETTEXT_FUNCTIONS = {
    # name: (index of msgctxt or None, index of msgid, index of msgid_plural or None)
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

# (msgctxt, msgid, msgid_plural)
Message = tuple[str | None, str, str | None]


def constant(args: list[ast.expr], index: int | None) -> str | None:
    if index is None or index >= len(args):
        return None
    node = args[index]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def messages_of_code(tree: ast.AST) -> Iterator[tuple[int, Message]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called_name(node) in GETTEXT_FUNCTIONS:
            context, singular, plural = GETTEXT_FUNCTIONS[called_name(node)]
            msgid = constant(node.args, singular)
            if msgid:
                message = (constant(node.args, context), msgid, constant(node.args, plural))
                yield node.lineno, message


def messages_of_template(source: str) -> Iterator[tuple[int, Message]]:
    """Django's own makemessages reading: templatize turns the template into gettext calls."""
    code = templatize(source)
    for number, line in enumerate(code.splitlines(), start=1):
        for start in (m.start() for m in re.finditer(r"\b(?:np|n|p)?gettext\(", line)):
            call = first_call(line[start:])
            if call is not None:
                yield from ((number, message) for _, message in messages_of_code(call))


def first_call(text: str) -> ast.AST | None:
    """The call that opens ``text`` (its end is the first ')' after which it parses)."""
    for end in (i for i, char in enumerate(text) if char == ")"):
        try:
            return ast.parse(text[: end + 1], mode="eval")
        except SyntaxError:
            continue
    return None


def used_messages() -> dict[Message, str]:
    """Every message of the back office's code and templates, with where it is first used."""
    used: dict[Message, str] = {}
    for path in admin_modules() + upload_check_modules():
        for line, message in messages_of_code(ast.parse(path.read_text())):
            used.setdefault(message, where(path, line))
    for path in admin_templates():
        for line, message in messages_of_template(path.read_text()):
            used.setdefault(message, where(path, line))
    return used


def translated_in_catalogue() -> set[tuple[str | None, str]]:
    return {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(CATALOGUE))
        if entry.translated() and "fuzzy" not in entry.flags and not entry.obsolete
    }


def django_translates(message: Message) -> bool:
    """Django's own catalogues (its admin's words: Cancel, Save, Delete...) already say it."""
    base = Path(django.__file__).parent
    found = False
    for localedir in (base / "conf" / "locale", base / "contrib" / "admin" / "locale"):
        catalogue = gnu_gettext.translation("django", localedir, ["zh_Hans"], fallback=True)
        context, msgid, plural = message
        if plural:
            said = catalogue.npgettext(context, msgid, plural, 2) if context else None
            said = said or catalogue.ngettext(msgid, plural, 2)
        elif context:
            said = catalogue.pgettext(context, msgid)
        else:
            said = catalogue.gettext(msgid)
        found = found or said not in (msgid, plural)
    return found


def test_every_message_of_the_back_office_has_a_chinese_translation():
    translated = translated_in_catalogue()
    missing = [
        f"{place}: {message[1]!r}" + (f" (context {message[0]!r})" if message[0] else "")
        for message, place in sorted(used_messages().items(), key=lambda item: item[1])
        if (message[0], message[1]) not in translated and not django_translates(message)
    ]

    assert missing == [], f"{len(missing)} back-office messages lack Chinese:\n" + "\n".join(
        missing
    )


def test_the_msgids_of_a_template_are_read_as_makemessages_reads_them():
    source = (
        "{% load i18n %}<h1>{% translate 'Versions' %}</h1>\n"
        "{% blocktranslate count n=races|length %}{{ n }} race{% plural %}{{ n }} races"
        "{% endblocktranslate %}\n"
        '{% translate "Apply" context "a back-office button" %}'
    )

    found = [message for _, message in messages_of_template(source)]

    assert found == [
        (None, "Versions", None),
        (None, "%(n)s race", "%(n)s races"),
        ("a back-office button", "Apply", None),
    ]
