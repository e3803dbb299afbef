import Foundation
import TrialDesign
import Workflow

/// The OpenAPI 3.0 document of the JSON API, served at `/openapi.json`. The enrolment's `fields` are
/// generated from the design (the same form as the web page): their names, which are required, and the
/// allowed values of a stratum.
enum OpenAPIDocument {
    static func json(for design: Design) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: document(for: design), options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    static func response(_ description: String, _ schema: String? = nil) -> [String: Any] {
        var r: [String: Any] = ["description": description]
        if let schema { r["content"] = ["application/json": ["schema": ref(schema)]] }
        return r
    }

    static var problemResponses: [String: Any] { [
        "401": response("No valid token: `Authorization: Bearer TOKEN` (rct users token NAME).", "Problem"),
        "403": response("The caller's role or site may not do this.", "Problem"),
        "503": response("The trial's database cannot be used.", "Problem"),
    ] }

    static func document(for design: Design) -> [String: Any] {
        let form = EnrolmentForm(design: design)
        var fieldProperties: [String: Any] = [:]
        for f in form.fields {
            var p: [String: Any] = ["type": "string", "description": f.purpose, "maxLength": EnrolmentForm.maximumLength]
            switch f.kind {
            case let .choice(levels): p["enum"] = levels
            case .date: p["format"] = "date"
            case .nationalNumber: p["description"] = "a national number (INSZ), pseudonymised at once and never stored"
            case let .flag(on, off): p["enum"] = [on, off]
            case let .open(values): p["description"] = "\(f.purpose); eligible: " + values.joined(separator: ", ")
            case .text, .number: break
            }
            fieldProperties[f.column] = p
        }
        let required = form.fields.filter { $0.required && $0.column != form.idColumn }.map(\.column)
        var enrolmentRequired = ["family_id", "fields"]
        var siteSchema: [String: Any] = ["type": "string"]
        if !design.sites.isEmpty {
            enrolmentRequired.append("site")
            siteSchema["enum"] = design.sites.map(\.id)
        }
        let answer: [String: Any] = [
            "type": "object",
            "required": ["family_id", "eligible"],
            "properties": [
                "family_id": ["type": "string"], "site": ["type": "string", "nullable": true], "eligible": ["type": "boolean"],
                "arm": ["type": "string", "nullable": true, "enum": design.arms.map(\.id) as [Any] + [NSNull()]],
                "probability": ["type": "number", "nullable": true], "assigned_on": ["type": "string", "format": "date", "nullable": true],
                "record_hash": ["type": "string", "nullable": true], "case_manager": ["type": "string", "nullable": true],
                "reason": ["type": "string", "nullable": true],
            ],
        ]
        let anyObject: [String: Any] = ["type": "object"]
        let secured: [[String: Any]] = [["bearer": [String]()]]
        func op(_ summary: String, _ responses: [String: Any], parameters: [[String: Any]] = [], body: [String: Any]? = nil,
                secure: Bool = true) -> [String: Any] {
            var o: [String: Any] = ["summary": summary, "responses": secure ? responses.merging(problemResponses) { a, _ in a } : responses]
            if secure { o["security"] = secured } else { o["security"] = [[String: Any]]() }
            if !parameters.isEmpty { o["parameters"] = parameters }
            if let body { o["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
            return o
        }
        let after: [String: Any] = ["name": "after", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 0]]
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "rct randomisation service: \(design.trial.id)",
                "version": "1",
                "description": "Central randomisation of \(design.trial.title). Enrollers enrol the families of their site; "
                    + "the allocation is drawn at once and never listed in advance. Every call is audited.",
            ],
            "servers": [["url": "/"]],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "rct users token NAME"]],
                "schemas": [
                    "Problem": ["type": "object", "required": ["error"],
                                "properties": ["error": ["type": "string"], "field": ["type": "string", "nullable": true]]],
                    "EnrolmentRequest": [
                        "type": "object", "additionalProperties": false, "required": enrolmentRequired,
                        "properties": [
                            "family_id": ["type": "string", "minLength": 1, "maxLength": EnrolmentForm.maximumLength],
                            "site": siteSchema,
                            "fields": ["type": "object", "additionalProperties": false, "required": required,
                                       "properties": fieldProperties],
                        ],
                    ],
                    "Enrolment": answer,
                    "EnrolmentList": ["type": "object", "required": ["enrolments"],
                                      "properties": ["enrolments": ["type": "array", "items": ref("Enrolment")]]],
                ],
            ],
            "paths": [
                "/api/v1/health": ["get": op("Whether the service and its database answer.", [
                    "200": ["description": "Up.", "content": ["application/json": ["schema": anyObject]]],
                    "503": ["description": "The database cannot be reached.", "content": ["application/json": ["schema": anyObject]]],
                ], secure: false)],
                "/api/v1/enrolments": [
                    "post": op("Screen and, if eligible, randomise one family (enrollers, for their site).", [
                        "201": response("Eligible and allocated now.", "Enrolment"),
                        "200": response("Not eligible (with the reason), or enrolled before: the first answer, never drawn again.", "Enrolment"),
                        "409": response("Enrolment is paused, or the arm with limited places is full.", "Problem"),
                        "413": response("The body is too large.", "Problem"),
                        "422": response("A missing or invalid field, named in `field`.", "Problem"),
                        "503": response("The trial's database cannot be used, or the service's pseudonymisation key is not the key in force "
                                        + "(rotated while the service ran): nothing was written.", "Problem"),
                    ], body: ref("EnrolmentRequest")),
                    "get": op("The enrolments: an enroller's own site (without arms), all for managers and statisticians.", [
                        "200": response("The families in order of enrolment.", "EnrolmentList"),
                    ], parameters: [["name": "site", "in": "query", "required": false, "schema": ["type": "string"]]]),
                ],
                "/api/v1/enrolments/{family_id}": ["get": op("One family's enrolment.", [
                    "200": response("The family's answer.", "Enrolment"),
                    "404": response("No such family was enrolled.", "Problem"),
                ], parameters: [["name": "family_id", "in": "path", "required": true, "schema": ["type": "string"]]])],
                "/api/v1/assignments": ["get": op("The assignment record with its hash chain (statisticians; read by rct pull).", [
                    "200": ["description": "The trial, the records and the screenings.", "content": ["application/json": ["schema": anyObject]]],
                ], parameters: [after])],
                "/api/v1/audit": ["get": op("The audit trail (auditors).", [
                    "200": ["description": "Audit entries in order.", "content": ["application/json": ["schema": anyObject]]],
                ], parameters: [after, ["name": "limit", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1, "maximum": 1000]]])],
                "/api/v1/verify": ["get": op("The chain checks of the assignment record and the audit log (auditors).", [
                    "200": ["description": "What the checks found.", "content": ["application/json": ["schema": anyObject]]],
                ])],
                "/api/v1/recruitment": ["get": op("Recruitment by site and arm, places left, pauses (managers).", [
                    "200": ["description": "The dashboard's figures.", "content": ["application/json": ["schema": anyObject]]],
                ])],
                "/api/v1/pause": ["post": op("Pause enrolment (managers).", [
                    "200": ["description": "Paused.", "content": ["application/json": ["schema": anyObject]]],
                ])],
                "/api/v1/resume": ["post": op("Resume enrolment (managers).", [
                    "200": ["description": "Resumed.", "content": ["application/json": ["schema": anyObject]]],
                ])],
            ],
        ]
    }
}
