namespace Publisher.Cdk.Tests;

/// <summary>The Node.js probe that turns a missing or too old <c>node</c> into one line naming what to install.</summary>
public sealed class NodeRequirementTests : IDisposable
{
    private readonly string? _configured = Environment.GetEnvironmentVariable("JSII_NODE");
    private readonly string _directory = Directory.CreateTempSubdirectory("node-probe-").FullName;

    [Fact]
    public void Probe_NodeOnThisMachine_IsUsable() => Assert.Null(RequiresNodeAttribute.Probe());

    [Fact]
    public void Probe_NoSuchNode_SaysWhatToInstallInOneLine()
    {
        Environment.SetEnvironmentVariable("JSII_NODE", Path.Combine(_directory, "node"));

        var problem = RequiresNodeAttribute.Probe();

        Assert.NotNull(problem);
        Assert.Contains("was not found", problem, StringComparison.Ordinal);
        Assert.Contains("install Node.js 18 or later", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Probe_NodeTooOld_NamesItsVersion()
    {
        var fake = Path.Combine(_directory, "node");
        File.WriteAllText(fake, "#!/bin/sh\necho v16.20.2\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("JSII_NODE", fake);

        var problem = RequiresNodeAttribute.Probe();

        Assert.NotNull(problem);
        Assert.Contains("says 'v16.20.2'", problem, StringComparison.Ordinal);
        Assert.Contains("install Node.js 18 or later", problem, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("JSII_NODE", _configured);
        Directory.Delete(_directory, recursive: true);
    }
}
