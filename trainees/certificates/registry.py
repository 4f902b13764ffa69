"""Socialstyrelsen's forms: one entry per official form, with its labels in the form's order.

The labels are the official wording, kept here as well as in each template so
the tests can check that a rendered draft carries every label of its form, in
order. They are Swedish on purpose and never translated: Socialstyrelsen's
administrators must recognise the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Regulation

SOSFS = Regulation.SOSFS_2015_8
HSLF = Regulation.HSLF_FS_2021_8


@dataclass(frozen=True)
class FormSpec:
    """One official form (blankett)."""

    regulation: str
    number: int
    title: str
    labels: tuple[str, ...]

    @property
    def key(self) -> str:
        """E.g. "2021-09"."""
        return f"{self.regulation[-6:-2]}-{self.number:02d}"

    @property
    def template(self) -> str:
        """The template that renders the form."""
        return f"certificates/{self.regulation[-6:-2]}/bilaga_{self.number:02d}.html"

    @property
    def footer(self) -> str:
        """The form's own footer line, e.g. "HSLF-FS 2021:8 - Bilaga 9"."""
        return f"{self.regulation} - Bilaga {self.number}"


APPLICANT = ("Sökande", "Efternamn", "Förnamn", "Personnummer")
SIGNER_2021 = (
    "Namnteckning",
    "Ort och datum",
    "Namnförtydligande",
    "Personnummer",
    "Specialitet",
    "Tjänsteställe",
)
SIGNER_2015 = (
    "Specialitet",
    "Tjänsteställe",
    "Ort och datum",
    "Namnteckning",
    "Namnförtydligande",
)
ACTIVITY_HEAD = (
    "Bilaga nr:",
    "INTYG",
    "om genomförd utbildningsaktivitet och uppfyllda kompetenskrav",
)
SERVICE_COLUMNS_2021 = (
    "Tjänstgöringsställe (sjukhus, klinik, enhet eller annan specificering)",
    "Period (ååmmdd-ååmmdd)",
    "Tjänstgöringens omfattning i procent av heltid",
    "Tjänstgöringens omfattning omräknad till månader på heltid",
    "Summa",
)
GOALS_2021 = "Delmål som intyget avser (t.ex. STa1, STb1, STc1)"
GOALS_2015 = "Delmål som intyget avser (t.ex. a1, b1, c1)"
SUPERVISOR_STATEMENT_2021 = (
    "Intygsutfärdande handledare intygar att sökanden har genomfört utbildningsaktiviteten och "
    "bedömer att han eller hon har uppfyllt kompetenskrav i delmålet/-en."
)
STATEMENT_2015 = (
    "Intygande",
    "Sökanden har genomfört utbildningsaktiviteten och uppfyllt kompetenskrav i delmålet/-en.",
)
EDUCATION = (
    "Utbildning",
    "Läkarexamen",
    "Land",
    "Datum (ååmmdd)",
    "Legitimation/motsvarande bevis om behörighet",
    *("Land", "Datum (ååmmdd)") * 3,
)
PRIVACY_BT = (
    "Personuppgifter som lämnas i ansökan registreras av Socialstyrelsen i ett "
    "ärendehanteringssystem som uppdateras med vissa folkbokföringsuppgifter. Mer information "
    "om Socialstyrelsens behandling av personuppgifter finns på socialstyrelsen.se"
)
PRIVACY_2021 = (
    "Personuppgifter som lämnas i ansökan registreras av Socialstyrelsen i ett "
    "ärendehanteringssystem. Med stöd av förordningen (2006:196) om register över hälso- och "
    "sjukvårdspersonal överförs uppgifter om utfärdat behörighetsbevis till Socialstyrelsens "
    "register över hälso- och sjukvårdspersonal, HOSP. Både ärendehanteringssystemet och HOSP "
    "uppdateras med vissa folkbokföringsuppgifter. Mer information om Socialstyrelsens "
    "behandling av personuppgifter finns på socialstyrelsen.se."
)
PRIVACY_2015 = (
    "Personuppgifter som lämnas på denna ansökningsblankett registreras av Socialstyrelsen i ett "
    "ärendehanteringssystem. Med stöd av förordningen (2006:196) om register över hälso- och "
    "sjukvårdspersonal överförs uppgifter om utfärdat behörighetsbevis till Socialstyrelsens "
    "register över hälso- och sjukvårdspersonal, HOSP. Både ärendehanteringssystemet och HOSP "
    "uppdateras med vissa folkbokföringsuppgifter. Av 26 § personuppgiftslagen (1998:204) följer "
    "att den sökande har rätt att begära ett utdrag från ärendehanteringssystemet och HOSP en "
    "gång per kalenderår."
)
FEE = (
    "Avgift",
    "Enligt 11 § avgiftsförordningen (1992:191) ska avgiften betalas när ansökan ges in.",
    "Avgiften betalad (ååmmdd)",
)


def _activity_2021(number: int, title: str, *fields: str) -> FormSpec:
    return FormSpec(
        HSLF,
        number,
        title,
        (
            *ACTIVITY_HEAD,
            title,
            *APPLICANT,
            "Specialitet som ansökan avser",
            GOALS_2021,
            *fields,
            SUPERVISOR_STATEMENT_2021,
            *SIGNER_2021,
        ),
    )


def _activity_2015(number: int, title: str, *fields: str) -> FormSpec:
    return FormSpec(
        SOSFS,
        number,
        title,
        (
            *ACTIVITY_HEAD,
            title,
            *APPLICANT,
            "Specialitet som ansökan avser",
            GOALS_2015,
            *fields,
            *STATEMENT_2015,
            "Handledare",
            *SIGNER_2015,
        ),
    )


FORMS_2021 = (
    FormSpec(
        HSLF,
        1,
        "Ansökan om intyg om godkänd bastjänstgöring",
        (
            "ANSÖKAN",
            "om intyg om godkänd bastjänstgöring",
            PRIVACY_BT,
            "Till",
            "Socialstyrelsen",
            "106 30 Stockholm",
            *APPLICANT,
            "Utdelningsadress",
            "Postnummer",
            "Postort",
            "Telefon privat (inkl. riktnummer)",
            "E-postadress",
            "Arbetsplats",
            "Telefon arbetet (inkl. riktnummer)",
            *EDUCATION,
            "Förteckning över bifogade intyg",
            "Delmål i bastjänstgöringen",
            "Bilagor nr",
            "Fullgjord bastjänstgöring",
            "Bilaga nr",
            "Uppnådd baskompetens",
            "Bilaga nr",
            "Tjänstgöring före legitimation",
            "Bilaga/-or nr",
            "Utländsk tjänstgöring",
            "Bilaga nr",
            "Sökandens underskrift",
            "Namnteckning",
            "Ort och datum",
        ),
    ),
    FormSpec(
        HSLF,
        2,
        "Intyg om delmål i bastjänstgöringen",
        (
            "Bilaga nr:",
            "INTYG",
            "om delmål i bastjänstgöringen",
            *APPLICANT,
            "Delmål som intyget avser (t.ex. BT1, BT2)",
            "Utbildningsaktiviteter som sökanden genomfört för att uppnå delmål (t.ex. kliniska "
            "tjänstgöringar under handledning, kurser eller tidigare tjänstgöring). Om intyget "
            "avser flera delmål, beskriv vilka utbildningsaktiviteter som avser vilka delmål.",
            "Hur det kontrollerats att sökanden uppnått delmål (t.ex. bedömningar av kliniskt "
            "omhändertagande eller kursexaminationer). Om intyget avser flera delmål, beskriv "
            "vilka kontroller som avser vilka delmål.",
            "Intygsutfärdande handledare bedömer att sökanden har uppnått delmålet/-n.",
            *SIGNER_2021,
        ),
    ),
    FormSpec(
        HSLF,
        3,
        "Intyg om fullgjord bastjänstgöring",
        (
            "Bilaga nr:",
            "INTYG",
            "om fullgjord bastjänstgöring",
            *APPLICANT,
            "Tjänsteförteckning",
            "Redovisning av bastjänstgöring",
            *SERVICE_COLUMNS_2021,
            "Del av tjänstgöringen inom primärvård",
            "Redogör för vilken eller vilka delar av tjänstgöringen som genomförts inom "
            "primärvård.",
            "Del av tjänstgöringen inom akut sjukvård",
            "Redogör för vilken eller vilka delar av tjänstgöringen som genomförts inom akut "
            "sjukvård.",
            "Intygsutfärdande huvudansvarig verksamhetschef/motsvarande intygar att sökanden har "
            "fullgjort bastjänstgöring enligt tjänsteförteckningen.",
            "Namnteckning",
            "Ort och datum",
            "Namnförtydligande",
            "Tjänsteställe",
        ),
    ),
    FormSpec(
        HSLF,
        4,
        "Intyg om uppnådd baskompetens",
        (
            "Bilaga nr:",
            "INTYG",
            "om uppnådd baskompetens",
            *APPLICANT,
            "Intygsutfärdande huvudansvarig handledare bedömer att sökanden har uppnått samtliga "
            "delmål i målbeskrivningen för bastjänstgöringen.",
            *SIGNER_2021,
            "Intygsutfärdande extern bedömare bedömer att sökanden har uppnått samtliga delmål i "
            "målbeskrivningen för bastjänstgöringen.",
            *SIGNER_2021,
        ),
    ),
    FormSpec(
        HSLF,
        5,
        "Ansökan om bevis om specialistkompetens",
        (
            "ANSÖKAN",
            "om bevis om specialistkompetens",
            PRIVACY_2021,
            "Till",
            "Socialstyrelsen",
            "106 30 Stockholm",
            "Specialitet som ansökan avser",
            *APPLICANT,
            "Utdelningsadress",
            "Postnummer",
            "Postort",
            "Telefon privat (inkl. riktnummer)",
            "E-postadress",
            "Arbetsplats",
            "Telefon arbetet (inkl. riktnummer)",
            *EDUCATION,
            "Intyg om godkänd bastjänstgöring",
            "Datum (ååmmdd)",
            "Har sedan tidigare bevis om specialistkompetens",
            *("Specialitet", "Land", "Datum (ååmmdd)") * 4,
            "Förteckning över bifogade intyg",
            "Fullgjord specialiseringstjänstgöring",
            "Bilaga nr",
            "Uppnådd specialistkompetens",
            "Bilaga nr",
            "Auskultationer",
            "Bilaga/-or nr",
            "Kliniska tjänstgöringar under handledning",
            "Bilaga/-or nr",
            "Kurser",
            "Bilagor nr",
            "Deltagande i utvecklingsarbeten",
            "Bilaga/-or nr",
            "Delmål STa3. Medicinsk vetenskap",
            "Bilaga/-or nr",
            "Delmål för specialistläkare från tredjeland",
            "Bilagor nr",
            "Förteckning över övriga handlingar",
            "Svensk doktorsexamen",
            "Bilaga nr",
            "Bedömning av utländsk doktorsexamen",
            "Bilaga nr",
            "Utländsk tjänstgöring",
            "Bilaga nr",
            "Individuellt utbildningsprogram (endast för specialistläkare från tredjeland)",
            "Bilaga nr",
            *FEE,
            "Sökandens underskrift",
            "Namnteckning",
            "Ort och datum",
        ),
    ),
    FormSpec(
        HSLF,
        6,
        "Intyg om fullgjord specialiseringstjänstgöring",
        (
            "Bilaga nr:",
            "INTYG",
            "om fullgjord specialiseringstjänstgöring",
            *APPLICANT,
            "Specialitet som ansökan avser",
            "Tjänsteförteckning – Redovisning av specialiseringstjänstgöring",
            *SERVICE_COLUMNS_2021,
            "Intygsutfärdande huvudansvarig verksamhetschef intygar att sökanden har fullgjort "
            "specialiseringstjänstgöring enligt tjänsteförteckningen.",
            "Namnteckning",
            "Ort och datum",
            "Namnförtydligande",
            "Tjänsteställe",
        ),
    ),
    FormSpec(
        HSLF,
        7,
        "Intyg om uppnådd specialistkompetens",
        (
            "Bilaga nr:",
            "INTYG",
            "om uppnådd specialistkompetens",
            *APPLICANT,
            "Specialitet som ansökan avser",
            "Intygsutfärdande huvudansvarig handledare bedömer att sökanden har uppnått samtliga "
            "delmål i målbeskrivningen för specialiteten.",
            *SIGNER_2021,
            "Intygsutfärdande specialistläkare, utöver den huvudansvariga handledaren, bedömer "
            "att sökanden har uppnått samtliga delmål i målbeskrivningen för specialiteten.",
            *SIGNER_2021,
        ),
    ),
    _activity_2021(
        8,
        "Auskultation",
        "Tjänstgöringsställe för auskultation",
        "Period (ååmmdd – ååmmdd)",
        "Beskrivning av auskultationen",
    ),
    _activity_2021(
        9,
        "Klinisk tjänstgöring under handledning",
        "Tjänstgöringsställe för klinisk tjänstgöring",
        "Period (ååmmdd – ååmmdd)",
        "Beskrivning av den kliniska tjänstgöringen",
    ),
    FormSpec(
        HSLF,
        10,
        "Kurs",
        (
            *ACTIVITY_HEAD,
            "Kurs",
            *APPLICANT,
            "Specialitet som ansökan avser",
            GOALS_2021,
            "Kursens ämne (anges i rubrikform)",
            "Beskrivning av kursen",
            "Intygsutfärdande handledare alternativt kursledare intygar att sökanden har "
            "genomfört utbildningsaktiviteten och bedömer att han eller hon har uppfyllt "
            "kompetenskrav i delmålet/-en.",
            "Handledare",
            "Kursledare",
            "Namnteckning",
            "Ort och datum",
            "Namnförtydligande",
            "Personnummer (gäller endast handledare)",
            "Specialitet (gäller endast handledare)",
            "Tjänsteställe",
        ),
    ),
    _activity_2021(
        11,
        "Deltagande i utvecklingsarbete",
        "Utvecklingsarbetets ämne (anges i rubrikform)",
        "Beskrivning av ST-läkarens deltagande i utvecklingsarbetet",
    ),
    FormSpec(
        HSLF,
        12,
        "Delmål STa3. Medicinsk vetenskap",
        (
            "Bilaga nr:",
            "INTYG",
            "Delmål STa3. Medicinsk vetenskap",
            *APPLICANT,
            "Specialitet som ansökan avser",
            "Utbildningsaktiviteter som sökanden genomfört för att uppnå delmålet (t.ex. kliniska "
            "tjänstgöringar under handledning, kurser eller tidigare tjänstgöring).",
            "Hur det kontrollerats att sökanden uppnått delmålet (t.ex. bedömningar av kliniskt "
            "omhändertagande eller kursexaminationer).",
            "Intygsutfärdande handledare bedömer att sökanden har uppnått delmålet.",
            *SIGNER_2021,
        ),
    ),
)

FORMS_2015 = (
    FormSpec(
        SOSFS,
        1,
        "Ansökan om bevis om specialistkompetens",
        (
            "ANSÖKAN",
            "om bevis om specialistkompetens",
            "Till",
            "Socialstyrelsen",
            "106 30 STOCKHOLM",
            PRIVACY_2015,
            "Specialitet som ansökan avser",
            *APPLICANT,
            "Utdelningsadress",
            "Postnummer",
            "Postort",
            "Telefon bostaden (inkl. riktnummer)",
            "Mobiltelefon",
            "E-postadress",
            "Arbetsplats",
            "Telefon arbetet (inkl. riktnummer)",
            *EDUCATION,
            "Har sedan tidigare bevis om specialistkompetens",
            *("Specialitet", "Land", "Datum (ååmmdd)") * 3,
            "Tjänsteförteckning",
            "Redovisning av genomförd tjänstgöring under handledning",
            "Tjänstgöringsställe (Sjukhus, klinik, enhet eller annan specificering)",
            "Period (ååmmdd – ååmmdd)",
            "Tjänstgöringens omfattning i procent av heltid",
            "Tjänstgöringens omfattning omräknad till månader på heltid",
            "Summa",
            "Förteckning över bifogade intyg (7 kap. 2 och 3 §§ och 5 § första stycket)",
            "Uppnådd specialistkompetens (SOSFS-bilaga 2)",
            "Bilaga nr",
            "Auskultationer (SOSFS-bilaga 3)",
            "Bilaga nr",
            "Kliniska tjänstgöringar under handledning (SOSFS-bilaga 4)",
            "Bilaga nr",
            "Kurser (SOSFS-bilaga 5)",
            "Bilaga nr",
            "Kvalitets- och utvecklingsarbeten (SOSFS-bilaga 6)",
            "Bilaga nr",
            "Självständiga skriftliga arbeten enligt vetenskapliga principer (SOSFS-bilaga 7)",
            "Bilaga nr",
            "Uppfyllda kompetenskrav för specialistläkare från tredjeland (SOSFS-bilagor 8 a och "
            "8 b)",
            "Bilaga nr",
            "Förteckning över övriga handlingar (7 kap. 4 § och 5 § andra stycket)",
            "Godkänd svensk doktorsexamen",
            "Bilaga nr",
            "Bedömning av utländsk doktorsexamen",
            "Bilaga nr",
            "Intyg om utländsk tjänstgöring",
            "Bilaga nr",
            "Individuellt utbildningsprogram (endast specialistläkare från tredjeland)",
            "Bilaga nr",
            *FEE,
            "Underskrift",
            "Ort och datum",
            "Sökandens namnteckning",
        ),
    ),
    FormSpec(
        SOSFS,
        2,
        "Intyg om uppnådd specialistkompetens",
        (
            "Bilaga nr:",
            "INTYG",
            "om uppnådd specialistkompetens",
            "Specialitet som ansökan avser",
            *APPLICANT,
            "Sökanden har",
            "fullgjort minst fem års tjänstgöring under handledning",
            "genomfört de föreskrivna utbildningsaktiviteterna som anges i målbeskrivningen, och",
            "uppfyllt kompetenskraven i målbeskrivningen.",
            "Detta intygas av verksamhetschefen vid det tjänstgöringsställe där ST-läkaren "
            "huvudsakligen har genomfört sin specialiseringstjänstgöring och den huvudansvariga "
            "handledaren, i samråd med studierektor.",
            "Verksamhetschefen har enligt 4 kap. 4 § utsett en läkare med specialistkompetens att "
            "bedöma ST-läkarens specialistkompetens",
            "Ja",
            "Nej",
            "Ort och datum",
            "Verksamhetschefens namnteckning",
            "Namnförtydligande",
            "Tjänsteställe",
            "Studierektor",
            "Efternamn",
            "Förnamn",
            "Tjänsteställe",
            "Intygande",
            "Verksamhetschefen/den läkare som har utsetts enligt 4 kap. 4 §",
            "Specialitet",
            "Tjänsteställe",
            "Ort och datum",
            "Namnteckning",
            "Namnförtydligande",
            "Personnummer",
            "Huvudansvarig handledare",
            "Specialitet",
            "Handledarutbildning (årtal)",
            "Tjänsteställe",
            "Ort och datum",
            "Namnteckning",
            "Namnförtydligande",
            "Personnummer",
            "För läkare som har en doktorsexamen enligt 6 kap. 2 § gäller minst fyra och ett halvt "
            "års tjänstgöring.",
        ),
    ),
    _activity_2015(
        3,
        "Auskultation",
        "Tjänstgöringsställe och period (ååmmdd – ååmmdd) för auskultationen",
        "Beskrivning av auskultationen",
    ),
    _activity_2015(
        4,
        "Klinisk tjänstgöring under handledning",
        "Tjänstgöringsställe och period (ååmmdd – ååmmdd) för den kliniska tjänstgöringen",
        "Beskrivning av den kliniska tjänstgöringen",
    ),
    FormSpec(
        SOSFS,
        5,
        "Kurs",
        (
            *ACTIVITY_HEAD,
            "Kurs",
            *APPLICANT,
            "Specialitet som ansökan avser",
            GOALS_2015,
            "Ämne (i rubrikform) och period (ååmmdd – ååmmdd) för kursen",
            "Kursledare",
            "Beskrivning av kursen",
            *STATEMENT_2015,
            "Kursledare",
            "Handledare",
            "Specialitet (om den intygande personen är specialistkompetent läkare)",
            "Tjänsteställe",
            "Ort och datum",
            "Namnteckning",
            "Namnförtydligande",
        ),
    ),
    _activity_2015(
        6,
        "Kvalitets- och utvecklingsarbete",
        "Ämne för kvalitets- och utvecklingsarbete (i rubrikform)",
        "Beskrivning av kvalitets- och utvecklingsarbetet",
    ),
    _activity_2015(
        7,
        "Självständigt skriftligt arbete enligt vetenskapliga principer",
        "Ämne för självständigt skriftligt arbete (i rubrikform)",
        "Beskrivning av det självständiga skriftliga arbetet",
    ),
)

FORMS = {form.key: form for form in (*FORMS_2021, *FORMS_2015)}


def form(regulation: str, number: int) -> FormSpec:
    """The form with this number under this regulation."""
    return FORMS[f"{regulation[-6:-2]}-{number:02d}"]
