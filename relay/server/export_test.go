package server

// OriginAllowed exposes originAllowed to the external tests.
var OriginAllowed = originAllowed
