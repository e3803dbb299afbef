// The central randomisation service (`rct serve`): users and roles, the JSON API, the web pages and the
// audit log, as a shell over Workflow. Its parts arrive in the commits that follow the enrolment store.
import Hummingbird
import HummingbirdBcrypt
import Mustache
import AsyncHTTPClient
