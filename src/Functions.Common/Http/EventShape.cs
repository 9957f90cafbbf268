namespace Functions.Common.Http;

/// <summary>Which API Gateway payload an event is, so the response goes back in the same shape.</summary>
public enum EventShape
{
    /// <summary>REST API proxy integration, payload format 1.0.</summary>
    RestApiV1,

    /// <summary>HTTP API or Lambda function URL, payload format 2.0.</summary>
    HttpApiV2,
}
