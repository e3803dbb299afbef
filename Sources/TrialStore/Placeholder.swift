import GRDB
enum _Placeholder {}
