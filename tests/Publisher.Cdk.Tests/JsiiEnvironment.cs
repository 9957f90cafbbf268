using System.Runtime.CompilerServices;

// jsii drives one Node.js process per test assembly and is not safe to call from parallel
// test classes (it extracts its packages into TMPDIR on first use), so classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Publisher.Cdk.Tests;

internal static class JsiiEnvironment
{
    // Runs before any test touches jsii, which starts Node.js once per test assembly; Node 20
    // otherwise prints an end-of-life banner into the test output.
#pragma warning disable CA2255 // A test assembly is an app, not a library consumers load.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() =>
        Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
}
