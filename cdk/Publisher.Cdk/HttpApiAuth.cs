namespace Publisher.Cdk;

/// <summary>How callers authenticate to the HTTP API (context <c>httpApiAuth</c>); every function route requires one of these.</summary>
public enum HttpApiAuth
{
    /// <summary>AWS Signature Version 4 for <c>execute-api</c> (the default); callers need <c>execute-api:Invoke</c>.</summary>
    Iam,

    /// <summary>A JWT bearer token from the issuer <c>jwtIssuer</c> for one of the audiences <c>jwtAudience</c>, checked by API Gateway.</summary>
    Jwt,
}
