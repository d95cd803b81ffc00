package headers

// Names of the request headers Function Compute sends to a custom runtime or
// custom container (SPEC §3), in the lower-case form FC documents. Match them
// case-insensitively: real deployments send them as X-Fc-Request-Id and so on.
const (
	XFCRequestID             = "x-fc-request-id"
	XFCAccessKeyID           = "x-fc-access-key-id"
	XFCAccessKeySecret       = "x-fc-access-key-secret" // secret: never logged
	XFCSecurityToken         = "x-fc-security-token"    // secret: never logged
	XFCFunctionName          = "x-fc-function-name"
	XFCFunctionHandler       = "x-fc-function-handler"
	XFCFunctionMemory        = "x-fc-function-memory"  // MB
	XFCFunctionTimeout       = "x-fc-function-timeout" // seconds
	XFCFunctionInitializer   = "x-fc-function-initializer"
	XFCInitializationTimeout = "x-fc-initialization-timeout" // seconds
	XFCPreStopHandler        = "x-fc-instance-lifecycle-pre-stop-handler"
	XFCPreFreezeHandler      = "x-fc-instance-lifecycle-pre-freeze-handler"
	XFCServiceName           = "x-fc-service-name"
	XFCServiceLogProject     = "x-fc-service-logproject"
	XFCServiceLogStore       = "x-fc-service-logstore"
	XFCRegion                = "x-fc-region"
	XFCAccountID             = "x-fc-account-id"
	XFCQualifier             = "x-fc-qualifier"
	XFCVersionID             = "x-fc-version-id"
	XFCRetryCount            = "x-fc-retry-count"
	XFCControlPath           = "x-fc-control-path"
	XFCBasePath              = "x-fc-base-path"
	XFCClientIP              = "x-fc-client-ip"
	XFCTracingSpanContext    = "x-fc-tracing-opentracing-span-context"
	XFCTracingSpanBaggages   = "x-fc-tracing-opentracing-span-baggages" // base64 of a JSON object
	XFCTracingJaegerEndpoint = "x-fc-tracing-jaeger-endpoint"
	XFCEagleEyeTraceID       = "x-fc-eagleeye-traceid"
	XFCEagleEyeRPCID         = "x-fc-eagleeye-rpcid"
	XFCEagleEyeUserData      = "x-fc-eagleeye-userdata"
)

// XFCStatus is the response header that tells FC whether an event invocation
// succeeded ("200") or failed ("404"). Without it FC counts every answer as a
// success (SPEC §4).
const XFCStatus = "x-fc-status"
