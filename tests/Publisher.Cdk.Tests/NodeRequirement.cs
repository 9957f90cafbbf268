using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Xunit.Sdk;

// Every test here drives the CDK through jsii, which runs in Node.js: without it each test would fail
// with jsii's own stack trace. Checked once, before any test, and reported as one line.
[assembly: Publisher.Cdk.Tests.RequiresNode]

namespace Publisher.Cdk.Tests;

/// <summary>Fails each test with one clear line when Node.js 18+ is not on PATH (or in JSII_NODE), before jsii is touched.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class RequiresNodeAttribute : BeforeAfterTestAttribute
{
    /// <summary>The oldest Node.js major version the CDK's jsii runtime supports.</summary>
    public const int MinimumMajorVersion = 18;

    // One probe per test run, whatever the number of tests.
    private static readonly Lazy<string?> Problem = new(Probe);

    public override void Before(MethodInfo methodUnderTest)
    {
        if (Problem.Value is { } problem)
        {
            throw new NodeMissingException(problem);
        }
    }

    /// <summary>Null when a usable Node.js answers <c>--version</c>; otherwise what is wrong and what to install.</summary>
    internal static string? Probe()
    {
        var node = Environment.GetEnvironmentVariable("JSII_NODE") is { Length: > 0 } configured ? configured : "node";
        var install = $"install Node.js {MinimumMajorVersion} or later (e.g. `apt-get install nodejs`, or from nodejs.org) and put `node` on PATH.";
        string version;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(node, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            version = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
            {
                return $"The CDK tests need Node.js (jsii runs the CDK in it), but `{node} --version` failed: {install}";
            }
        }
        catch (Win32Exception)
        {
            return $"The CDK tests need Node.js (jsii runs the CDK in it), but `{node}` was not found: {install}";
        }

        var major = version.TrimStart('v').Split('.')[0];
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < MinimumMajorVersion)
        {
            return $"The CDK tests need Node.js {MinimumMajorVersion}+ (jsii runs the CDK in it), but `{node} --version` says '{version}': {install}";
        }

        return null;
    }

    /// <summary>The one-line failure: no stack trace, since the cause is the machine, not the code.</summary>
    private sealed class NodeMissingException(string message) : Exception(message)
    {
        public override string? StackTrace => null;
    }
}
