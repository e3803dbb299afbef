// The central randomisation service (`rct serve`): `TrialService` (the service of one trial and its
// router), `APIRoutes` (the JSON API), `EnrolmentDesk` (one enrolment, shared by the API and the pages),
// `Accounts` (users, passwords, tokens, logins), `OpenAPIDocument`, `AssignmentExport`. A shell over
// Workflow: the enrolment itself is `Workflow.Enrolment`, the form `Workflow.EnrolmentForm`.
