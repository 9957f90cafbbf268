namespace Publisher.Cdk;

/// <summary>How callers reach the functions: one front door per stack (context <c>frontDoor</c>).</summary>
public enum FrontDoor
{
    /// <summary>An API Gateway REST API (the default): API keys and usage plans or IAM, request validation, problem-shaped gateway errors.</summary>
    RestApi,

    /// <summary>An API Gateway HTTP API: IAM or JWT authorization, stage throttling, access logs; the function validates everything.</summary>
    HttpApi,

    /// <summary>Lambda function URLs with <c>AWS_IAM</c> auth on the publisher and the subscriber; reserved concurrency is the throttle.</summary>
    FunctionUrl,
}
