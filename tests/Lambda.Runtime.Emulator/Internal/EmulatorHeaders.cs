namespace Lambda.Runtime.Emulator.Internal;

/// <summary>Runtime API header names, spelled out here so the emulator does not borrow them from the runtime it tests.</summary>
internal static class EmulatorHeaders
{
    public const string AwsRequestId = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineMs = "Lambda-Runtime-Deadline-Ms";
    public const string InvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceId = "Lambda-Runtime-Trace-Id";
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";
}
