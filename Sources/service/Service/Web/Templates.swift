import Mustache

/// The pages' templates (Mustache: `{{…}}` escapes HTML, `{{{…}}}` only for markup the service made
/// itself). They work without JavaScript; the layout prints cleanly (navigation hidden).
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("enrol", enrol), ("result", result), ("list", list),
                             ("dashboard", dashboard), ("message", message)] {
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        let body = library.render(context, withTemplate: name) ?? ""
        var page = context
        page["body"] = body
        return library.render(page, withTemplate: "layout") ?? body
    }

    static let layout = """
    <!DOCTYPE html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{trial}}</title>
    <style>
    body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; }
    header { background: #1d3557; color: #fff; padding: .6rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
    header a { color: #fff; }
    header button { color: #fff; background: transparent; border: 1px solid #fff; margin: 0; padding: .2rem .6rem; cursor: pointer; }
    header .trial { font-weight: 600; margin-right: auto; }
    main { max-width: 52rem; margin: 1rem auto; padding: 0 1rem; background: #fff; }
    label { display: block; margin-top: .8rem; font-weight: 600; }
    .hint { font-weight: normal; color: #555; font-size: .9em; }
    input, select { font-size: 1rem; padding: .3rem; margin-top: .2rem; }
    button { font-size: 1rem; padding: .4rem .9rem; margin-top: 1rem; }
    .error { background: #fde2e1; border-left: 4px solid #c1121f; padding: .5rem 1rem; }
    .ok { background: #e3f4e1; border-left: 4px solid #2d6a4f; padding: .5rem 1rem; }
    .receipt { border: 1px dashed #555; padding: .5rem 1rem; margin: 1rem 0; }
    table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; }
    form.inline { display: inline; } .lang a { margin-left: .4rem; }
    @media print { header, nav, .noprint { display: none; } main { margin: 0; } }
    </style>
    </head>
    <body>
    <header>
    <span class="trial">{{t.service}} · {{trial}}</span>
    {{#user}}
    <nav>
    {{#isEnroller}}<a href="/enrol">{{t.enrol}}</a> · {{/isEnroller}}<a href="/enrolments">{{t.list}}</a>{{#isManager}} · <a href="/dashboard">{{t.dashboard}}</a>{{/isManager}}
    </nav>
    <span>{{name}}{{#site}} ({{site}}){{/site}}</span>
    <form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" id="logout">{{t.logout}}</button></form>
    {{/user}}
    <span class="lang"><a href="/language?to=nl">Nederlands</a><a href="/language?to=en">English</a></span>
    </header>
    <main>
    {{{body}}}
    </main>
    </body>
    </html>
    """

    static let login = """
    <h1>{{t.login}}</h1>
    {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
    <form method="post" action="/login">
    <input type="hidden" name="csrf" value="{{loginToken}}">
    <label for="name">{{t.name}}</label><input id="name" name="name" autocomplete="username" required maxlength="64">
    <label for="password">{{t.password}}</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
    <div><button type="submit" id="submit">{{t.login}}</button></div>
    </form>
    """

    static let enrol = """
    <h1>{{t.enrol}}</h1>
    <p>{{t.enrol_intro}}</p>
    {{#error}}<p class="error" id="error"><strong>{{t.errors}}:</strong> {{error}}</p>{{/error}}
    <form method="post" action="/enrol" autocomplete="off">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <p>{{t.site}}: <strong>{{siteLabel}}</strong></p>
    {{#fields}}
    <label for="f_{{column}}">{{label}} <span class="hint">({{purpose}}; {{#required}}{{t.required}}{{/required}}{{^required}}{{t.optional}}{{/required}})</span></label>
    {{#isText}}<input id="f_{{column}}" name="{{column}}" value="{{value}}" maxlength="200"{{#required}} required{{/required}}>{{/isText}}
    {{#isSecret}}<input id="f_{{column}}" name="{{column}}" inputmode="numeric" maxlength="15" autocomplete="off"{{#required}} required{{/required}}>{{/isSecret}}
    {{#isDate}}<input id="f_{{column}}" name="{{column}}" type="date" value="{{value}}"{{#required}} required{{/required}}>{{/isDate}}
    {{#isNumber}}<input id="f_{{column}}" name="{{column}}" inputmode="decimal" value="{{value}}" maxlength="30">{{/isNumber}}
    {{#isFlag}}<input id="f_{{column}}" name="{{column}}" type="checkbox" value="{{on}}"{{#checked}} checked{{/checked}}> <span class="hint">{{t.yes}}</span>{{/isFlag}}
    {{#isChoice}}<select id="f_{{column}}" name="{{column}}"{{#required}} required{{/required}}><option value="">{{t.choose}}</option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isChoice}}
    {{/fields}}
    <div><button type="submit" id="submit">{{t.submit_enrol}}</button></div>
    </form>
    """

    static let result = """
    {{#repeated}}<p class="ok">{{t.enrolled_before}}</p>{{/repeated}}
    {{#allocated}}
    <h1>{{t.allocation}}</h1>
    <p class="ok">{{t.allocated_to}} <strong id="arm">{{armLabel}}</strong> ({{arm}}).</p>
    {{/allocated}}
    {{^allocated}}
    <h1>{{t.not_eligible}}</h1>
    <p class="error">{{t.reason}}: <strong id="reason">{{reason}}</strong></p>
    {{/allocated}}
    <div class="receipt" id="receipt">
    <h2>{{t.receipt}}</h2>
    <table>
    <tr><th>{{t.family_id}}</th><td id="family">{{familyID}}</td></tr>
    <tr><th>{{t.site}}</th><td>{{siteLabel}}</td></tr>
    <tr><th>{{t.date}}</th><td id="date">{{date}}</td></tr>
    {{#allocated}}<tr><th>{{t.arm}}</th><td>{{armLabel}}</td></tr>
    <tr><th>{{t.probability}}</th><td>{{probability}}</td></tr>
    {{#caseManager}}<tr><th>{{t.case_manager}}</th><td>{{caseManager}}</td></tr>{{/caseManager}}
    <tr><th>{{t.record}}</th><td id="hash"><code>{{hashPrefix}}</code></td></tr>{{/allocated}}
    </table>
    </div>
    <p class="noprint">{{t.print}} <a href="/enrol" id="another">{{t.another}}</a></p>
    """

    static let list = """
    <h1>{{heading}}</h1>
    {{^rows}}<p>{{t.none_yet}}</p>{{/rows}}
    {{#hasRows}}
    <table id="enrolments">
    <tr><th>{{t.family_id}}</th><th>{{t.site}}</th><th>{{t.date}}</th><th>{{t.eligible}}</th>{{#showArms}}<th>{{t.arm}}</th>{{/showArms}}<th>{{t.record}}</th></tr>
    {{/hasRows}}
    {{#rows}}
    <tr><td>{{familyID}}</td><td>{{site}}</td><td>{{date}}</td><td>{{eligible}}</td>{{#showArms}}<td>{{arm}}</td>{{/showArms}}<td><code>{{hash}}</code></td></tr>
    {{/rows}}
    {{#hasRows}}</table>{{/hasRows}}
    """

    static let dashboard = """
    <h1>{{t.dashboard}}</h1>
    {{#paused}}<p class="error" id="pause-state">{{t.paused}}{{#pauseReason}}: {{pauseReason}}{{/pauseReason}}{{#pausedBy}} ({{pausedBy}}){{/pausedBy}}</p>
    <form method="post" action="/dashboard/resume"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.resume}}</button></form>{{/paused}}
    {{^paused}}<p class="ok" id="pause-state">{{t.running}}</p>
    <form method="post" action="/dashboard/pause"><input type="hidden" name="csrf" value="{{csrf}}"><label for="reason">{{t.reason}}</label><input id="reason" name="reason" maxlength="200"><button type="submit">{{t.pause}}</button></form>{{/paused}}
    {{#capacityArm}}<p>{{t.places_left}} {{capacityArm}}: <strong id="places-left">{{placesLeft}}</strong></p>{{/capacityArm}}
    <h2>{{t.recruitment}}</h2>
    {{{plot}}}
    <table>
    <tr><th>{{t.site}}</th><th>{{t.screened}}</th><th>{{t.excluded}}</th>{{#arms}}<th>{{.}}</th>{{/arms}}</tr>
    {{#sites}}<tr><td>{{label}}</td><td>{{screened}}</td><td>{{excluded}}</td>{{#counts}}<td>{{.}}</td>{{/counts}}</tr>{{/sites}}
    </table>
    """

    static let message = """
    <h1>{{heading}}</h1>
    <p class="error" id="message">{{message}}</p>
    """
}
