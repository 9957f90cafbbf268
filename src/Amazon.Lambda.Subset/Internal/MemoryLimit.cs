namespace Amazon.Lambda.Subset.Internal;

/// <summary>Tells the GC the function's configured memory, as the official runtime does: .NET does not see Lambda's cgroup limit.</summary>
internal static class MemoryLimit
{
    private const ulong OneMegabyte = 1024 * 1024;

    public static void Apply(int megabytes)
    {
        if (string.Equals(Environment.GetEnvironmentVariable(EnvironmentNames.DisableMemoryLimit), "true", StringComparison.OrdinalIgnoreCase)
            || megabytes <= 0)
        {
            return;
        }

        var bytes = (ulong)megabytes * OneMegabyte;
        if ((ulong)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes < bytes)
        {
            return; // a lower limit is already set
        }

        AppContext.SetData("GCHeapHardLimit", bytes);
        GC.RefreshMemoryLimit();
    }
}
