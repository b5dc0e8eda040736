"""natbacc's vocabulary: every flag, status, strand, key stage, equity group and indicator, and issue code.

Identity is never display text. Each member's *value* is its stable code: the thing compared,
stored, exported and filtered on (the workbook's ``flags`` column holds flag codes, the store holds
indicator and group ids). Its *label* (and *help*, where a reader needs more) is looked up at the
edge that shows it, so rewording a label never breaks a saved term, a filter or another tool.

Members are ``StrEnum`` members, so ``Flag.MISSING_ARTS == "MISSING_ARTS"`` and they serialise as
their codes (JSON, SQL, Excel) without conversion.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Term(StrEnum):
    """A vocabulary member: a stable code (the value) with the words people read beside it."""

    label: str
    help: str

    def __new__(cls, value: str, label: str = "", help: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        member.help = help
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code -> label for every member, in declaration order (for pickers and legends)."""
        return {m.value: m.label for m in cls}

    @classmethod
    def of(cls, code: object) -> Self | None:
        """The member with this code, or None (stored data may hold a code a later release dropped)."""
        try:
            return cls(str(code))
        except ValueError:
            return None


class IssueCode(Term):
    """Why the importer raised an issue: the ``code`` of every ``Issue`` it emits (stored and exported as is).

    The message says what to do in the user's words; the code is what a report filters, counts and
    tests on. ``READ_ERRORS`` below marks the codes that mean a file or sheet could not be read at all.
    """

    # A file or sheet that could not be read at all.
    TOO_LARGE = "too_large", "File too large", "Over the per-file upload limit (NATBACC_MAX_FILE_MB)."
    EMPTY_FILE = "empty_file", "Empty file"
    BINARY_FILE = "binary_file", "Not a spreadsheet", "Binary data that is neither a workbook nor a CSV file."
    BAD_CSV = "bad_csv", "Unreadable CSV"
    TOO_MANY_COLUMNS = "too_many_columns", "Too many columns"
    CORRUPT_WORKBOOK = "corrupt_workbook", "Damaged workbook", "The workbook or one of its sheets is damaged."
    PASSWORD = "password", "Password-protected workbook"
    ZIP_BOMB = "zip_bomb", "Zip bomb", "A workbook that expands to far more data than its size suggests."
    XML_ENTITIES = "xml_entities", "XML entities in a workbook", "Entity declarations, which Excel never writes."
    XLSB = "xlsb", "Excel Binary Workbook", "An .xlsb workbook, which natbacc does not read."
    SHEET_TOO_BIG = "sheet_too_big", "Sheet too big", "A sheet whose cell block is too big to hold."
    BAD_XML = "bad_xml", "Unsafe or damaged XML"
    NOT_CTF = "not_ctf", "XML that is not a CTF", "An XML file whose root element is not <CTfile>."
    INTERNAL_ERROR = "internal_error", "Could not be read", "An unforeseen failure while reading or joining files."
    # What was read, and how.
    HIDDEN_SHEET = "hidden_sheet", "Hidden sheet skipped"
    CTF = "ctf", "Common Transfer File", "A DfE Common Transfer File read for pupil context."
    FET_TIMETABLE = "fet_timetable", "FET timetable"
    FET_EMPTY_SLOT = "fet_empty_slot", "Empty timetable slot"
    FET_GROUP_SETS = "fet_group_sets", "Students as sets", "FET lists student sets, so breadth is per group."
    FET_STATISTICS = "fet_statistics", "FET activity statistics"
    FALLBACK_UNUSED = "fallback_unused", "Summary not used", "A timetable in the same upload says it slot by slot."
    SLOT_TIMETABLE = "slot_timetable", "Lesson-slot timetable"
    REPEATED_NAMES = "repeated_names", "Repeated names", "Pupils matched by name, kept apart by tutor group."
    KEYED_BY_NAME = "keyed_by_name", "Pupils matched by name"
    HEADERLESS_OPTIONS = "headerless_options", "Option choices without a header row"
    OPTIONS_WITHOUT_IDS = "options_without_ids", "Option choices without pupil IDs"
    SKIPPED_LIST = "skipped_list", "Not about pupils", "A staff list, school list or timetabler's reference list."
    ROSTER_SKIPPED = "roster_skipped", "Roster skipped", "Class memberships of people who are not pupils."
    MEMBERSHIPS = "memberships", "Class memberships", "Who is in which class, joined to the class table."
    UNKNOWN_CLASS = "unknown_class", "Class not in the class table"
    CLASSES_WITHOUT_MEMBERS = "classes_without_members", "Classes without memberships"
    NOT_RECOGNISED = "not_recognised", "Not recognised"
    # A sheet that was recognised but holds nothing usable.
    NO_ROWS = "no_rows", "No data rows"
    NO_ID_COLUMN = "no_id_column", "No pupil ID column"
    NO_VALID_ROWS = "no_valid_rows", "No usable rows"
    NO_HOURS_COLUMN = "no_hours_column", "No hours column"
    ALL_ROWS_INVALID = "all_rows_invalid", "Every row unusable", "Every row has an unusable value in one column."
    # One row or value.
    CONTROL_CHARACTERS = "control_characters", "Control characters removed"
    MISSING_ID = "missing_id", "No pupil ID"
    DUPLICATE_ID = "duplicate_id", "Pupil listed twice"
    BAD_UPN = "bad_upn", "UPN fails its check letter"
    BAD_YEAR = "bad_year", "Not a secondary year"
    BAD_FLAG = "bad_flag", "Not Yes or No"
    BAD_SEN = "bad_sen", "Unknown SEN code"
    MISSING_SUBJECT = "missing_subject", "No class or subject"
    BAD_NUMBER = "bad_number", "Not a number"
    NEGATIVE_NUMBER = "negative_number", "Negative number"
    TOO_MANY_PERIODS = "too_many_periods", "More periods than the cycle"
    DUPLICATE_CLASS = "duplicate_class", "Class listed twice"
    RESERVE_IGNORED = "reserve_ignored", "Reserve choices not counted"
    BAD_STAGE = "bad_stage", "Unknown project stage"
    BAD_DATE = "bad_date", "Not a date"
    UNKNOWN_CATEGORY = "unknown_category", "Not a PDP category"
    BAD_HOURS = "bad_hours", "Not a number of hours"
    # The upload as a whole, once its files are joined.
    NOT_IN_DETAILS = "not_in_details", "Pupils missing from the pupil details"
    NO_TIMETABLE = "no_timetable", "Pupils without a timetable"
    STUDENTS_INFERRED = "students_inferred", "Pupils taken from other files"
    NO_YEAR = "no_year", "Pupils without a year group"
    UNMAPPED_SUBJECT = "unmapped_subject", "Subject not mapped", "A subject label that maps to no Core Learning area."


#: Codes meaning a file (or one sheet of a workbook) could not be read at all, as opposed to read and
#: found wanting: the import report shows these as "could not be read".
READ_ERRORS: frozenset[IssueCode] = frozenset(
    {
        IssueCode.TOO_LARGE, IssueCode.EMPTY_FILE, IssueCode.BINARY_FILE, IssueCode.BAD_CSV,
        IssueCode.TOO_MANY_COLUMNS, IssueCode.CORRUPT_WORKBOOK, IssueCode.PASSWORD, IssueCode.ZIP_BOMB,
        IssueCode.XML_ENTITIES, IssueCode.XLSB, IssueCode.SHEET_TOO_BIG, IssueCode.BAD_XML, IssueCode.NOT_CTF,
        IssueCode.INTERNAL_ERROR,
    }
)  # fmt: skip
