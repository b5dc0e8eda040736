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
from typing import Self, TypeVar

_T = TypeVar("_T", bound=StrEnum)


def _member(cls: type[_T], value: str, label: str, help: str = "") -> _T:
    """A new member with its code, label and help (Enum replaces ``__new__`` once the class is built)."""
    member = str.__new__(cls, value)
    member._value_ = value
    member.label = label or value  # type: ignore[attr-defined]
    member.help = help  # type: ignore[attr-defined]
    return member


class Term(StrEnum):
    """A vocabulary member: a stable code (the value) with the words people read beside it."""

    label: str
    help: str

    def __new__(cls, value: str, label: str = "", help: str = "") -> Self:
        return _member(cls, value, label, help)

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


class Flag(Term):
    """What a pupil's record is flagged for. The codes are what the workbook's ``flags`` column holds."""

    MISSING_ARTS = (
        "MISSING_ARTS",
        "No arts subject",
        "No timetabled time and no option in the arts (art and design, music, dance, drama, media). At KS4 the"
        " arts are one of the pupil's entitlement areas (Education Act 2002 s.85A): the school must offer them.",
    )
    MISSING_LANGUAGES = (
        "MISSING_LANGUAGES",
        "No language",
        "No timetabled time and no option in a language. At KS4 the entitlement area is a modern foreign"
        " language (Education Act 2002 s.85A).",
    )
    MISSING_HUMANITIES = (
        "MISSING_HUMANITIES",
        "No humanity",
        "At KS4: no history or geography, the humanities entitlement area as Education Act 2002 s.85A defines"
        " it (Sociology, Psychology or Business alone leave it unmet), unless the school's own broader rule"
        " is set (ks4.entitlement). At KS3: no humanity at all.",
    )
    MISSING_TECHNOLOGY = (
        "MISSING_TECHNOLOGY",
        "No technology subject",
        "At KS4: no design and technology, an entitlement area that s.85A says comprises only that subject"
        " (Food, Hospitality or Construction alone leave it unmet), unless the school's own broader rule is"
        " set (ks4.entitlement). At KS3: no technology subject at all.",
    )
    KS3_STATUTORY_GAP = (
        "KS3_STATUTORY_GAP",
        "Missing a statutory KS3 subject",
        "A KS3 pupil does not study every National Curriculum KS3 subject, statutory in maintained schools"
        " (the explanation names them). Citizenship needs a citizenship lesson or one whose title names it"
        " (Careers alone does not); citizenship, RE or PSHE taught in tutor time or on drop-down days counts"
        " once declared for the year group in Settings.",
    )
    EARLY_OPTIONS = (
        "EARLY_OPTIONS",
        "Options before Year 10",
        "A KS3 pupil already follows an options-based, KS4-style curriculum.",
    )
    FEW_AREAS = "FEW_AREAS", "Few areas", "Fewer Core Learning areas than the minimum set for the key stage."
    PROJECT_NOT_STARTED = (
        "PROJECT_NOT_STARTED",
        "Project not started",
        "No Personal Project started where one is expected.",
    )
    PROJECT_BEHIND = (
        "PROJECT_BEHIND",
        "Project behind",
        "The Personal Project is behind the stage or hours expected by now.",
    )
    PD_BEHIND = (
        "PD_BEHIND",
        "Personal Development behind",
        "Personal Development hours since the programme began are behind its target pro-rated to date.",
    )
    PD_CATEGORY_GAP = (
        "PD_CATEGORY_GAP",
        "A Personal Development category missing",
        "One of the three Personal Development categories has no hours.",
    )

    @property
    def column(self) -> str:
        """The records table's boolean column for this flag (``flag_MISSING_ARTS``)."""
        return f"flag_{self.value}"


#: The text form of a pupil's flags, for the edges that need one string: codes joined by this.
FLAG_SEPARATOR = "; "


class Status(Term):
    """A pupil's overall status. The codes are the words the workbook has always shown."""

    ON_TRACK = "on track", "On track", "Every strand that applies scores at or above the on-track line."
    AT_RISK = "at risk", "At risk", "No strand is below the off-track line, but one is below the on-track line."
    OFF_TRACK = "off track", "Off track", "At least one strand scores below the off-track line."
    NOT_SCORED = "not scored", "Not scored", "No strand could be scored (no year group, or nothing imported)."


class Strand(Term):
    """The three NBfE strands."""

    CORE_LEARNING = "core_learning", "Core Learning"
    PERSONAL_PROJECT = "personal_project", "Personal Project"
    PERSONAL_DEVELOPMENT = "personal_development", "Personal Development"

    @property
    def score(self) -> str:
        """The records table's score column (``core_learning_score``)."""
        return f"{self.value}_score"

    @property
    def explanation(self) -> str:
        """The records table's explanation column (``core_learning_explanation``)."""
        return f"{self.value}_explanation"


class EquityGroup(Term):
    """Pupil groups whose gaps the Equity page and sheet report, each against its reference group."""

    reference: str
    noun: str
    reference_noun: str

    def __new__(
        cls, value: str, label: str = "", reference: str = "", noun: str = "", reference_noun: str = ""
    ) -> Self:
        member = _member(cls, value, label)
        member.reference, member.noun, member.reference_noun = reference, noun, reference_noun
        return member

    DISADVANTAGED = "disadvantaged", "Disadvantaged (PP)", "Not disadvantaged", "Disadvantaged pupils", "other pupils"
    SEN_SUPPORT = "sen_support", "SEN support (K)", "No SEN (N)", "Pupils on SEN support", "pupils with no SEN"
    EHC_PLAN = "ehc_plan", "EHC plan (E)", "No SEN (N)", "Pupils with an EHC plan", "pupils with no SEN"
    SEN_TYPE_NOT_GIVEN = (
        "sen_type_not_given",
        "SEN, type not given",
        "No SEN (N)",
        "Pupils with SEN (type not given)",
        "pupils with no SEN",
    )
    EAL = "eal", "EAL", "Not EAL", "EAL pupils", "other pupils"
    GIRLS = "girls", "Girls", "Boys", "Girls", "boys"


class EquityIndicator(Term):
    """What each equity gap measures: a share of pupils, compared between a group and its reference.

    ``phrase`` reads after "N pp less likely ..." in a finding.
    """

    phrase: str

    def __new__(cls, value: str, label: str = "", phrase: str = "") -> Self:
        member = _member(cls, value, label)
        member.phrase = phrase
        return member

    KS4_ARTS = "ks4_studies:arts", "KS4: studies arts", "to study an arts subject at KS4"
    KS4_LANGUAGES = "ks4_studies:languages", "KS4: studies languages", "to study a language at KS4"
    KS4_HUMANITIES = "ks4_studies:humanities", "KS4: studies humanities", "to study a humanity at KS4"
    KS4_TECHNOLOGY = "ks4_studies:technology", "KS4: studies technology", "to study a technology subject at KS4"
    KS4_ENGLISH = "ks4_studies:english", "KS4: studies english", "to study English at KS4"
    KS4_MATHS = "ks4_studies:maths", "KS4: studies maths", "to study maths at KS4"
    KS4_SCIENCE = "ks4_studies:science", "KS4: studies science", "to study science at KS4"
    KS4_COMPUTING = "ks4_studies:computing", "KS4: studies computing", "to study computing at KS4"
    KS4_PE = "ks4_studies:physical_education", "KS4: studies pe", "to have PE at KS4"
    KS4_RE = "ks4_studies:religious_education", "KS4: studies re", "to study RE at KS4"
    KS4_PSHE = "ks4_studies:pshe", "KS4: studies pshe/rshe", "to have PSHE/RSHE at KS4"
    KS4_EBACC = (
        "ks4_ebacc_pattern",
        "KS4: EBacc-pattern entry (legacy)",
        "to follow the EBacc pattern at KS4 (legacy measure)",
    )
    KS3_STATUTORY = "ks3_all_statutory", "KS3: all statutory subjects", "to study every statutory KS3 subject"
    CORE_LEARNING_ON_TRACK = "on_track:core_learning", "Core Learning on track", "to be on track in Core Learning"
    PERSONAL_PROJECT_ON_TRACK = (
        "on_track:personal_project",
        "Personal Project on track",
        "to be on track with the Personal Project",
    )
    PERSONAL_DEVELOPMENT_ON_TRACK = (
        "on_track:personal_development",
        "Personal Development on track",
        "to be on track with Personal Development",
    )

    @classmethod
    def studies(cls, area: str) -> EquityIndicator:
        """The "KS4: studies <area>" indicator for a Core Learning area."""
        return cls(f"ks4_studies:{area}")

    @classmethod
    def on_track(cls, strand: Strand) -> EquityIndicator:
        """The "<strand> on track" indicator."""
        return cls(f"on_track:{strand.value}")


class Entitlement(Term):
    """The KS4 take-up measures set beside national figures (``Indicators.ks4_entitlement``)."""

    ARTS = "arts", "At least one arts subject"
    LANGUAGES = "languages", "At least one language"
    HUMANITIES = "humanities", "At least one humanity"
    TECHNOLOGY = "technology", "At least one technology subject"
    EBACC_PATTERN = "ebacc_pattern", "EBacc-pattern entry (legacy measure)"


class Section(Term):
    """How trends and the Schools page group their headline indicators."""

    STRANDS = "strands", "Strands"
    KS3 = "ks3", "Key Stage 3"
    KS4 = "ks4", "Key Stage 4"
    EQUITY = "equity", "Equity"


class Headline(Term):
    """Headline indicators kept with every stored term (equity gaps are ``EquityIndicator`` x ``EquityGroup``)."""

    ON_TRACK_CORE_LEARNING = "on_track:core_learning_score", "Core Learning: on track"
    ON_TRACK_PERSONAL_PROJECT = "on_track:personal_project_score", "Personal Project: on track"
    ON_TRACK_PERSONAL_DEVELOPMENT = "on_track:personal_development_score", "Personal Development: on track"
    ON_TRACK_OVERALL = "on_track:overall", "All three strands: on track"
    KS3_YEARS = "ks3:years", "Length of Key Stage 3"
    KS3_MISSING_STATUTORY = "ks3:missing_statutory", "KS3 pupils missing a statutory subject"
    KS3_AREAS_DROPPED = "ks3:areas_dropped", "Areas dropped before Year 10"
    KS4_NO_ARTS = "ks4:no_arts", "KS4 pupils with no arts subject"
    KS4_NO_LANGUAGES = "ks4:no_languages", "KS4 pupils with no language"
    KS4_NO_HUMANITIES = "ks4:no_humanities", "KS4 pupils with no humanity"
    KS4_NO_TECHNOLOGY = "ks4:no_technology", "KS4 pupils with no technology subject"
    KS4_FEW_AREAS = "ks4:few_areas", "KS4 pupils covering fewer than the minimum number of areas"
    EQUITY_GAP = "gap", "Equity gap"


class Sen(Term):
    """A pupil's SEN provision as the ``sen`` column holds it: the school census codes N, K and E, and U for
    "SEN, type not given" (exports that hold SEN as yes/no, such as a trust warehouse's T/F column)."""

    NONE = "N", "No SEN"
    SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "EHC plan"
    TYPE_NOT_GIVEN = "U", "SEN, type not given", "The export says yes or no for SEN, not which provision."


#: The codes that mean the pupil has SEN, of whatever type.
ANY_SEN: tuple[Sen, ...] = (Sen.SUPPORT, Sen.EHC_PLAN, Sen.TYPE_NOT_GIVEN)


class PupilGroup(Term):
    """Pupil groups the sidebar's filter narrows to."""

    ALL = "all", "All pupils"
    DISADVANTAGED = "disadvantaged", "Disadvantaged (Pupil Premium)"
    NOT_DISADVANTAGED = "not_disadvantaged", "Not disadvantaged"
    ANY_SEN = "any_sen", "Any SEN (K, E or type not given)"
    SEN_SUPPORT = "sen_support", "SEN support (K)"
    EHC_PLAN = "ehc_plan", "EHC plan (E)"
    NO_SEN = "no_sen", "No SEN"
    EAL = "eal", "EAL"
    NOT_EAL = "not_eal", "Not EAL"
    GIRLS = "girls", "Girls"
    BOYS = "boys", "Boys"


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
    BAD_TIER = "bad_tier", "Unknown NBfE tier"
    UNKNOWN_QUALIFICATION = "unknown_qualification", "Unknown qualification type"
    BAD_LEVEL = "bad_level", "Not a qualification level"
    BAD_GRADE = "bad_grade", "Grade not on the qualification's scale"
    BAD_QUALIFICATION_STATUS = "bad_qualification_status", "Not entered or achieved"
    DUPLICATE_QUALIFICATION = "duplicate_qualification", "Qualification listed twice"
    # An options season (natbacc options): next year's choices and a block design.
    NO_CHOICES = "no_choices", "No option choices", "No file in the upload holds pupils' ranked option choices."
    DESIGN_READ = "design_read", "Block design read"
    DESIGN_NOT_RECOGNISED = "design_not_recognised", "Block design not recognised"
    DESIGN_UNKNOWN_SUBJECT = "design_unknown_subject", "Design subject nobody chose"
    DESIGN_BAD_SIZE = "design_bad_size", "Class size not a number"
    CHOICE_REPEATED = "choice_repeated", "Choice repeated", "A pupil chose the same subject twice."
    # The upload as a whole, once its files are joined.
    NOT_IN_DETAILS = "not_in_details", "Pupils missing from the pupil details"
    NO_TIMETABLE = "no_timetable", "Pupils without a timetable"
    STUDENTS_INFERRED = "students_inferred", "Pupils taken from other files"
    NO_YEAR = "no_year", "Pupils without a year group"
    KEYED_BY_SCHOOL = "keyed_by_school", "Pupils identified by school", "Several schools: pupil = school and ID."
    PUPIL_AT_SEVERAL_SCHOOLS = (
        "pupil_at_several_schools",
        "Pupil ID at several schools",
        "A row naming no school whose pupil ID is used at more than one school of the upload.",
    )
    CONFLICTING_YEAR = "conflicting_year", "Conflicting year groups", "One pupil of one school given two years."
    CONFLICTING_NAME = "conflicting_name", "Conflicting names", "One pupil ID of one school given two names."
    UNMAPPED_SUBJECT = "unmapped_subject", "Subject not mapped", "A subject label that maps to no Core Learning area."
    # Real-world intake (issue #16): files natbacc does not use, foreign formats, lookups and forms.
    NOT_USED = "not_used", "Not used", "A file about staff, rooms, periods or courses: nothing in it is about pupils."
    FOREIGN_FORMAT = "foreign_format", "Another program's format", "A timetabler's or MIS's own export, named."
    NO_SUCH_COLUMN = "no_such_column", "Column missing for the kind chosen", "A --kind whose columns the sheet lacks."
    KIND_NOT_GIVEN = "kind_not_given", "--kind names no file", "A --kind naming a file or sheet not in the upload."
    COURSE_LOOKUP = "course_lookup", "Course codes looked up", "Codes mapped to course names through a course table."
    UNKNOWN_CODE = "unknown_code", "Code not in the course table"
    FORM_RESPONSES = "form_responses", "Form responses", "Option choices from a form, matched to pupils."
    FORM_UNMATCHED = "form_unmatched", "Response matches no pupil"
    FORM_AMBIGUOUS = "form_ambiguous", "Response matches several pupils"
    FORM_REPEATED = "form_repeated", "Pupil answered more than once", "The latest response is kept."
    GRADE_AS_YEAR = "grade_as_year", "Grade read as year", "A 'Grade' column read as the English year group."
    US_GRADES = "us_grades", "US grade numbers", "Grades that look American (K-12), not English years."
    ASC_TIMETABLE = "asc_timetable", "aSc Timetables export"
    UNTIS_EXPORT = "untis_export", "Untis export"
    GROUP_LEVEL = "group_level", "Classes, not pupils", "Group-level data: nothing is scored per pupil."
    TUTOR_IS_TEACHER = "tutor_is_teacher", "Tutor column holds teachers", "Not read as the registration group."


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


class Need(Term):
    """What an indicator needs among the pupils shown, so a filter that removes it is named, never read as a 0.

    ``reason`` completes "not available for this filter — ..." ("it compares Years 7 to 9");
    ``upload`` says what to import when the data itself lacks it.
    """

    reason: str
    upload: str

    def __new__(cls, value: str, label: str = "", reason: str = "", upload: str = "") -> Self:
        member = _member(cls, value, label)
        member.reason, member.upload = reason, upload
        return member

    KS3_YEARS = (
        "ks3_years",
        "Years 7, 8 and 9 together",
        "it compares Years 7 to 9",
        "class lists for at least two of Years 7, 8 and 9",
    )
    KS3_PUPILS = (
        "ks3_pupils",
        "KS3 pupils with a timetable",
        "it is about KS3 pupils (Years 7 to 9)",
        "class lists for Years 7 to 9",
    )
    KS3_PERIODS = (
        "ks3_periods",
        "KS3 timetable with periods",
        "it shares out KS3 pupils' timetabled periods",
        "class lists with periods per cycle for Years 7 to 9",
    )
    KS4_PUPILS = (
        "ks4_pupils",
        "KS4 pupils with a timetable or options",
        "it is about KS4 pupils (Years 10 and 11)",
        "class lists or option choices for Years 10 and 11",
    )
    OPTIONS = (
        "options",
        "Option choices",
        "it follows pupils' option choices",
        "the option choices file (one column per option block)",
    )
    SCORED_PUPILS = (
        "scored_pupils",
        "Pupils with a year group",
        "it scores pupils against their year group's targets",
        "a pupil details export with each pupil's year group",
    )
    PUPIL_CONTEXT = (
        "pupil_context",
        "A pupil group and its comparison group",
        "it compares a pupil group (Pupil Premium, SEN, EAL, sex) with its comparison group",
        "a pupil details export with Pupil Premium, SEN, EAL and sex",
    )


class Measure(Term):
    """An indicator a page shows, with what it needs among the pupils shown (``needs``).

    The needs are declared here, once, so every page, the findings and the all-clears ask the same
    question ("is this measured for these pupils?") instead of each page guessing with its own if-chain.
    """

    needs: tuple[Need, ...]

    def __new__(cls, value: str, label: str = "", needs: tuple[Need, ...] = ()) -> Self:
        member = _member(cls, value, label)
        member.needs = needs
        return member

    KS3_LENGTH = "ks3_length", "KS3 length and when options begin", (Need.KS3_YEARS,)
    KS3_DROPPED = "ks3_dropped", "Areas dropped before Year 10", (Need.KS3_YEARS,)
    KS3_STATUTORY = "ks3_statutory", "Statutory KS3 subjects", (Need.KS3_PUPILS,)
    KS3_TUTOR_GROUPS = "ks3_tutor_groups", "Tutor groups missing a statutory subject", (Need.KS3_PUPILS,)
    KS3_TIME = "ks3_time", "KS3 curriculum time per area", (Need.KS3_PERIODS,)
    KS4_AREAS = "ks4_areas", "Core Learning areas per KS4 pupil", (Need.KS4_PUPILS,)
    KS4_ENTITLEMENT = "ks4_entitlement", "KS4 entitlement take-up", (Need.KS4_PUPILS,)
    KS4_ZERO_TAKEUP = "ks4_zero_takeup", "Subjects with zero take-up at KS4", (Need.KS3_PUPILS, Need.KS4_PUPILS)
    OPTION_ROUTES = "option_routes", "Option routes", (Need.OPTIONS,)
    STRANDS = "strands", "Strand scores", (Need.SCORED_PUPILS,)
    FLAGS = "flags", "Narrowing and progress flags", (Need.SCORED_PUPILS,)
    EQUITY = "equity", "Equity gaps", (Need.SCORED_PUPILS, Need.PUPIL_CONTEXT)


class DrillChart(Term):
    """Charts whose bars, cells and markers open the list of pupils behind them (``natbacc.drill``)."""

    KS4_ENTITLEMENT = "ks4_entitlement", "KS4 entitlement take-up"
    KS3_STATUTORY = "ks3_statutory", "Statutory KS3 subjects"
    COVERAGE = "coverage", "Core Learning coverage"
    STRAND_STATUS = "strand_status", "Strand status"
    EQUITY_GAP = "equity_gap", "Equity gap"
    FLAG = "flag", "Flag"


#: Where the importer's notes show that the "pupils" were a timetabler's student sets (FET, aSc, Untis export
#: groups), not pupils from a pupil details file: such rows are called student sets wherever they are counted.
STUDENT_SET_SOURCES: frozenset[IssueCode] = frozenset({IssueCode.FET_TIMETABLE, IssueCode.FET_GROUP_SETS})


class Tier(Term):
    """The NBfE tiers, lowest first: each matches a level of qualifications (docs/sources.md#nbt-three-strands)."""

    ENTRY = "entry", "Entry", "Entry-level qualifications."
    FOUNDATION = "foundation", "Foundation", "Level 1 qualifications."
    INTERMEDIATE = "intermediate", "Intermediate", "A Level 2 programme with English and maths at Level 2."
    ADVANCED = "advanced", "Advanced", "Three or more A levels or a Level 3 Diploma."


class AwardStatus(Term):
    """A pupil's overall standing in their NBfE programme (the ``status`` of ``natbacc award --json``)."""

    COMPLETE = "complete", "Complete", "Every component is done at the tier."
    ON_COURSE = "on course", "On course", "Every component is done or on course to be done by the programme's end."
    AT_RISK = (
        "at risk",
        "At risk",
        "A component is behind what is due by now or, at the current rate, will miss the end.",
    )
    NOT_ON_COURSE = (
        "not on course",
        "Not on course",
        "A component cannot be met as things stand, or the programme has ended without it.",
    )


class ComponentStatus(Term):
    """Where one component of a pupil's award stands."""

    DONE = "done", "Done"
    ON_COURSE = "on course", "On course"
    AT_RISK = "at risk", "At risk"
    NOT_ON_COURSE = "not on course", "Not on course"


class Component(Term):
    """The three NBfE components; ``missing`` keys are these codes (and ``personal_development:<category>``)."""

    CORE_LEARNING = "core_learning", "Core Learning"
    PERSONAL_PROJECT = "personal_project", "Personal Project"
    PERSONAL_DEVELOPMENT = "personal_development", "Personal Development"

    def category(self, name: str) -> str:
        """The ``missing`` key of one Personal Development category: ``personal_development:<category>``."""
        return f"{self.value}:{name}"


class QualificationStatus(Term):
    """Whether a qualification row is an entry still to be sat or a result."""

    ENTERED = "entered", "Entered", "Entered (or being studied); no result yet."
    ACHIEVED = "achieved", "Achieved", "A result has been awarded (which may be a fail grade)."


class ClassStatus(Term):
    """How full a class of an option block is (Options page, plan workbook)."""

    TOO_SMALL = "too_small", "Too small to run", "Fewer pupils than the minimum class size to run."
    FULL = "full", "Full", "As many pupils as the class takes."
    OK = "ok", "Room to spare"
