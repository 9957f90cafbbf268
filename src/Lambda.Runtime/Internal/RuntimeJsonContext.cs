using System.Text.Json.Serialization;
using Amazon.SecretsManager;

namespace Amazon.Lambda.Internal;

/// <summary>JSON metadata for the runtime's own wire types, kept apart so the public events context carries only events.</summary>
[JsonSerializable(typeof(GetSecretValueResponse))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext
{
}
