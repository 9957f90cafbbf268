using System.Globalization;

namespace Publisher.Benchmarks.Internal;

/// <summary>Number formatting for tables: invariant culture, precision that suits the magnitude.</summary>
internal static class Format
{
    public static string Ms(double milliseconds) => milliseconds switch
    {
        >= 100 => milliseconds.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => milliseconds.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => milliseconds.ToString("0.00", CultureInfo.InvariantCulture),
        _ => milliseconds.ToString("0.000", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double ratio) =>
        (ratio >= 10 ? ratio.ToString("0.0", CultureInfo.InvariantCulture) : ratio.ToString("0.00", CultureInfo.InvariantCulture)) + "x";

    public static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
