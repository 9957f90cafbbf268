namespace Publisher.DeploymentCheck.Internal;

/// <summary>One band of a tiered price: <paramref name="Size"/> units a month at <paramref name="UnitPrice"/> each (null size: every unit past the earlier bands).</summary>
/// <param name="Size">Units (requests, GB-seconds) this band covers in a month; null for the last, open band.</param>
/// <param name="UnitPrice">USD per unit.</param>
internal sealed record Tier(decimal? Size, decimal UnitPrice)
{
    /// <summary>A band priced per million requests, as AWS quotes them.</summary>
    public static Tier PerMillion(decimal? requests, decimal dollarsPerMillion) => new(requests, dollarsPerMillion / 1_000_000m);

    /// <summary>What <paramref name="units"/> cost in a month through <paramref name="tiers"/>, each band at its own price.</summary>
    public static decimal Cost(IReadOnlyList<Tier> tiers, decimal units)
    {
        var cost = 0m;
        foreach (var tier in tiers)
        {
            var inBand = tier.Size is { } size ? Math.Min(units, size) : units;
            cost += inBand * tier.UnitPrice;
            units -= inBand;
            if (units <= 0)
            {
                break;
            }
        }

        return cost;
    }
}

/// <summary>
/// Every price the cost model uses, in one place: AWS's public on-demand prices for <see cref="Region"/>, as the pricing
/// pages listed them on <see cref="CheckedOn"/> (<see cref="Sources"/>), in USD. Free tiers are left out (a new account's
/// first year; Lambda's monthly 1M requests and 400,000 GB-seconds), and so is everything not charged per request or
/// per GB-second: data transfer out, CloudWatch Logs ingestion (function logs; the HTTP API's access log), alarms, the
/// dashboard, the secret, and Momento's own charges. Change a price here, with the date.
/// </summary>
internal static class Prices
{
    /// <summary>The region the prices are for.</summary>
    public const string Region = "us-east-1";

    /// <summary>Where they were read.</summary>
    public const string Sources = "https://aws.amazon.com/api-gateway/pricing/, https://aws.amazon.com/lambda/pricing/";

    /// <summary>The day they were read.</summary>
    public static readonly DateOnly CheckedOn = new(2026, 12, 3);

    /// <summary>Hours in the month AWS prices by.</summary>
    public const decimal HoursPerMonth = 730;

    /// <summary>REST API calls: $3.50 per million for the first 333 million a month, $2.80 for the next 667 million, $2.38 for the next 19 billion, $1.51 past 20 billion.</summary>
    public static readonly IReadOnlyList<Tier> RestApiRequests =
        [Tier.PerMillion(333_000_000, 3.50m), Tier.PerMillion(667_000_000, 2.80m), Tier.PerMillion(19_000_000_000, 2.38m), Tier.PerMillion(null, 1.51m)];

    /// <summary>HTTP API calls (metered in 512 KB increments; every request of this API is far smaller): $1.00 per million for the first 300 million a month, $0.90 past them.</summary>
    public static readonly IReadOnlyList<Tier> HttpApiRequests = [Tier.PerMillion(300_000_000, 1.00m), Tier.PerMillion(null, 0.90m)];

    /// <summary>Function URLs: no charge of their own; the invocation is billed as any other.</summary>
    public static readonly IReadOnlyList<Tier> FunctionUrlRequests = [Tier.PerMillion(null, 0m)];

    /// <summary>Lambda invocations, whatever invokes them: $0.20 per million.</summary>
    public static readonly IReadOnlyList<Tier> LambdaRequests = [Tier.PerMillion(null, 0.20m)];

    /// <summary>Lambda duration on x86_64, per GB-second: $0.0000166667 for the first 6 billion a month, $0.000015 for the next 9 billion, $0.0000133334 past 15 billion.</summary>
    public static readonly IReadOnlyList<Tier> LambdaGbSecondX64 =
        [new(6_000_000_000, 0.0000166667m), new(9_000_000_000, 0.000015m), new(null, 0.0000133334m)];

    /// <summary>Lambda duration on arm64, per GB-second: $0.0000133334 for the first 7.5 billion a month, $0.0000120001 for the next 11.25 billion, $0.0000106667 past 18.75 billion.</summary>
    public static readonly IReadOnlyList<Tier> LambdaGbSecondArm64 =
        [new(7_500_000_000, 0.0000133334m), new(11_250_000_000, 0.0000120001m), new(null, 0.0000106667m)];
}
