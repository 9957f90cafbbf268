namespace Publisher.Contracts;

/// <summary>
/// How callers reach the functions. The stack deploys one (CDK context <c>frontDoor</c>), the local runner sends any
/// one's event shape (<c>serve --front-door</c>), and the deployment checker prices each (<c>cost --door</c>).
/// </summary>
public enum FrontDoor
{
    /// <summary>An API Gateway REST API (the default): payload 1.0 events, API keys and usage plans or IAM, request validation.</summary>
    RestApi,

    /// <summary>An API Gateway HTTP API: payload 2.0 events with the matched route, IAM or JWT authorization.</summary>
    HttpApi,

    /// <summary>Lambda function URLs with <c>AWS_IAM</c> auth: payload 2.0 events with routeKey <c>$default</c>, no gateway.</summary>
    FunctionUrl,
}

/// <summary>The doors' names as every command line and the CDK context spell them.</summary>
public static class FrontDoors
{
    /// <summary>Each door with its name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<(string Name, FrontDoor Door)> All { get; } =
        [("restApi", FrontDoor.RestApi), ("httpApi", FrontDoor.HttpApi), ("functionUrl", FrontDoor.FunctionUrl)];

    /// <summary>The door's name (<c>restApi</c>, <c>httpApi</c>, <c>functionUrl</c>).</summary>
    public static string Name(this FrontDoor door) => All.First(d => d.Door == door).Name;

    /// <summary>The door a name (matched case-insensitively) stands for, or null.</summary>
    public static FrontDoor? Parse(string? name)
    {
        foreach (var (known, door) in All)
        {
            if (string.Equals(known, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return door;
            }
        }

        return null;
    }
}
