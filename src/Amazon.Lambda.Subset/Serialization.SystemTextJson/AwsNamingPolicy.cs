using System.Text.Json;

namespace Amazon.Lambda.Serialization.SystemTextJson;

/// <summary>Lambda's naming policy: names as declared, except the S3 headers that need dashes
/// (official: Amazon.Lambda.Serialization.SystemTextJson).</summary>
public class AwsNamingPolicy : JsonNamingPolicy
{
    /// <inheritdoc />
    public override string ConvertName(string name) => name switch
    {
        "XAmzId2" => "x-amz-id-2",
        "XAmzRequestId" => "x-amz-request-id",
        _ => name,
    };
}
