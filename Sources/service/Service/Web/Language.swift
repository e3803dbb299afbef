import Hummingbird

/// The languages of the web pages: Dutch (the default) and English, chosen with the links on every page
/// (a `rct_lang` cookie) or, before that, the browser's `Accept-Language`.
enum Language: String, Sendable, CaseIterable {
    case nl, en

    static func of(_ request: Request) -> Language {
        if let chosen = Cookies(request)["rct_lang"].flatMap(Language.init(rawValue:)) { return chosen }
        let accept = (request.headers[.acceptLanguage] ?? "").lowercased()
        return accept.hasPrefix("en") ? .en : .nl
    }

    /// Every label of the pages, in this language.
    var labels: [String: String] {
        Dictionary(uniqueKeysWithValues: Self.catalogue.map { ($0.key, self == .nl ? $0.value.0 : $0.value.1) })
    }

    func callAsFunction(_ key: String) -> String { labels[key] ?? key }

    static let catalogue: [String: (String, String)] = [
        "service": ("Randomisatie", "Randomisation"),
        "login": ("Aanmelden", "Log in"),
        "logout": ("Afmelden", "Log out"),
        "name": ("Gebruikersnaam", "User name"),
        "password": ("Wachtwoord", "Password"),
        "login_failed": ("Naam of wachtwoord klopt niet.", "Wrong name or password."),
        "login_locked": ("Te veel mislukte pogingen: dit account is tijdelijk vergrendeld tot", "Too many failed attempts: this account is locked until"),
        "enrol": ("Gezin inschrijven", "Enrol a family"),
        "enrol_intro": ("Vul de gegevens van het gezin in. Het rijksregisternummer wordt meteen gepseudonimiseerd en nooit bewaard.",
                        "Fill in the family's details. The national number is pseudonymised at once and never stored."),
        "site": ("Locatie", "Site"),
        "family_id": ("Gezinscode", "Family code"),
        "submit_enrol": ("Screenen en randomiseren", "Screen and randomise"),
        "required": ("verplicht", "required"),
        "optional": ("optioneel", "optional"),
        "choose": ("— kies —", "— choose —"),
        "other": ("iets anders", "something else"),
        "yes": ("ja", "yes"),
        "allocation": ("Toewijzing", "Allocation"),
        "allocated_to": ("Het gezin is toegewezen aan", "The family is allocated to"),
        "not_eligible": ("Het gezin komt niet in aanmerking", "The family is not eligible"),
        "reason": ("Reden", "Reason"),
        "enrolled_before": ("Dit gezin werd eerder ingeschreven; dit is het eerste antwoord (er werd niet opnieuw getrokken).",
                            "This family was enrolled before; this is the first answer (nothing was drawn again)."),
        "receipt": ("Ontvangstbewijs", "Receipt"),
        "date": ("Datum", "Date"),
        "record": ("Registratie (hash)", "Record (hash)"),
        "probability": ("Kans", "Probability"),
        "case_manager": ("Casemanager", "Case manager"),
        "print": ("Druk deze pagina af om het ontvangstbewijs te bewaren.", "Print this page to keep the receipt."),
        "another": ("Nog een gezin inschrijven", "Enrol another family"),
        "list": ("Inschrijvingen", "Enrolments"),
        "list_site": ("Inschrijvingen van deze locatie", "This site's enrolments"),
        "eligible": ("In aanmerking", "Eligible"),
        "arm": ("Arm", "Arm"),
        "none_yet": ("Nog geen inschrijvingen.", "No enrolments yet."),
        "dashboard": ("Overzicht", "Dashboard"),
        "recruitment": ("Rekrutering per locatie en arm", "Recruitment by site and arm"),
        "screened": ("Gescreend", "Screened"),
        "excluded": ("Uitgesloten", "Excluded"),
        "places_left": ("Vrije plaatsen in de arm", "Places left in the arm"),
        "paused": ("De inschrijving is gepauzeerd", "Enrolment is paused"),
        "running": ("De inschrijving loopt", "Enrolment is open"),
        "pause": ("Inschrijving pauzeren", "Pause enrolment"),
        "resume": ("Inschrijving hervatten", "Resume enrolment"),
        "errors": ("Dit moet nog verbeterd worden", "Please correct this"),
        "forbidden": ("Dat mag u niet doen met deze rol of locatie.", "Your role or site may not do this."),
        "unavailable": ("Nu kan er niet gerandomiseerd worden", "No family can be randomised now"),
        "session_expired": ("Uw sessie is verlopen of het formulier is niet geldig; probeer opnieuw.",
                            "Your session expired or the form is not valid; please try again."),
        "cumulative": ("cumulatief aantal toewijzingen", "cumulative allocations"),
    ]
}
