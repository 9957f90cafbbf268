using System.Runtime.InteropServices;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Publisher.Cdk.Internal;

namespace Publisher.Cdk.Tests;

/// <summary>How the function packages are produced, and the synth warning when one is not Native AOT (the real publish runs in `cdk synth`).</summary>
[Collection(StackCollection.Name)]
public sealed class BundlingTests
{
    [Fact]
    public void Arguments_NativeAot_PublishesAotForTheRuntime()
    {
        var bundler = new DotnetPublishBundling(
            "/repo/src/Publisher.Function/Publisher.Function.csproj", "linux-x64", nativeAot: true, "/repo/cdk/Publisher.Cdk/obj/bundling");

        var args = bundler.Arguments("/out");

        Assert.Equal(
            [
                "publish", "/repo/src/Publisher.Function/Publisher.Function.csproj", "-c", "Release", "-r", "linux-x64", "-o", "/out",
                "--artifacts-path", "/repo/cdk/Publisher.Cdk/obj/bundling", "-p:PublishAot=true",
            ],
            args.Take(11));
        Assert.DoesNotContain("-p:PublishAot=false", args);
        Assert.DoesNotContain("-p:UseAwsLambdaPackages=true", args);
    }

    [Fact]
    public void Arguments_AwsLambdaPackages_PassesTheSwitch()
    {
        var bundler = new DotnetPublishBundling(
            "/repo/src/Publisher.Function/Publisher.Function.csproj", "linux-x64", nativeAot: true, "/repo/cdk/Publisher.Cdk/obj/bundling", awsLambdaPackages: true);

        Assert.Contains("-p:UseAwsLambdaPackages=true", bundler.Arguments("/out"));
    }

    [Fact]
    public void Arguments_WithoutAot_PublishesSelfContained()
    {
        var bundler = new DotnetPublishBundling(
            "/repo/src/Subscriber.Function/Subscriber.Function.csproj", "linux-arm64", nativeAot: false, "/repo/cdk/Publisher.Cdk/obj/bundling");

        var args = bundler.Arguments("/out");

        Assert.Contains("-p:PublishAot=false", args);
        var selfContained = args.ToList().IndexOf("--self-contained");
        Assert.Equal("true", args[selfContained + 1]);
        Assert.Equal("linux-arm64", args[args.ToList().IndexOf("-r") + 1]);
    }

    [Fact]
    public void Arguments_FrameworkDependent_PublishesTheAssemblyForTheManagedRuntimeWithoutAnApphost()
    {
        var bundler = new DotnetPublishBundling(
            "/repo/src/Publisher.Function/Publisher.Function.csproj", "linux-x64", DotnetPublishBundling.Build.FrameworkDependent, "/repo/cdk/Publisher.Cdk/obj/bundling");

        var args = bundler.Arguments("/out").ToList();

        Assert.Contains("-p:PublishAot=false", args);
        Assert.Equal("false", args[args.IndexOf("--self-contained") + 1]);
        Assert.Contains("-p:UseAppHost=false", args);
    }

    [Theory]
    [InlineData(FunctionArchitecture.X64, "linux-x64")]
    [InlineData(FunctionArchitecture.Arm64, "linux-arm64")]
    public void RuntimeIdentifier_Architecture_MapsToTheRid(FunctionArchitecture architecture, string rid)
    {
        Assert.Equal(rid, FunctionCodeFactory.RuntimeIdentifier(architecture));
    }

    /// <summary>A Linux x64 host with gcc and the aarch64 cross toolchain: it can link Native AOT for both architectures.</summary>
    private static readonly BuildHost CapableX64 = new(IsLinux: true, Architecture.X64, HasCompiler: true, HasArm64CrossToolchain: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChooseBuild_Forced_WinsOverTheHost(bool forced)
    {
        var incapable = new BuildHost(IsLinux: false, Architecture.X64, HasCompiler: false, HasArm64CrossToolchain: false);

        var onIncapable = FunctionCodeFactory.ChooseBuild(new PublisherStackSettings { NativeAot = forced }, incapable);
        var onCapable = FunctionCodeFactory.ChooseBuild(new PublisherStackSettings { NativeAot = forced, Architecture = FunctionArchitecture.Arm64 }, CapableX64);

        Assert.Equal(forced, onIncapable.NativeAot);
        Assert.Equal(forced, onCapable.NativeAot);
        if (!forced)
        {
            Assert.Contains("'nativeAot' is false", onCapable.NonAotReason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true, Architecture.X64, true, true, FunctionArchitecture.X64, null)]
    [InlineData(true, Architecture.X64, true, true, FunctionArchitecture.Arm64, null)]
    [InlineData(true, Architecture.X64, true, false, FunctionArchitecture.X64, null)]
    [InlineData(true, Architecture.X64, true, false, FunctionArchitecture.Arm64, "apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross")]
    [InlineData(true, Architecture.X64, false, false, FunctionArchitecture.X64, "neither gcc nor clang")]
    [InlineData(true, Architecture.Arm64, true, false, FunctionArchitecture.Arm64, null)]
    [InlineData(true, Architecture.Arm64, true, false, FunctionArchitecture.X64, "not set up on a Arm64 host")]
    [InlineData(false, Architecture.Arm64, true, false, FunctionArchitecture.Arm64, "not Linux")]
    public void ChooseBuild_Auto_NativeAotWhereTheHostCanLinkIt_ElseSaysWhy(
        bool linux, Architecture hostArchitecture, bool compiler, bool arm64Cross, FunctionArchitecture architecture, string? reason)
    {
        var host = new BuildHost(linux, hostArchitecture, compiler, arm64Cross);

        var build = FunctionCodeFactory.ChooseBuild(new PublisherStackSettings { Architecture = architecture }, host);

        Assert.Equal(reason is null, build.NativeAot);
        if (reason is null)
        {
            Assert.Null(build.NonAotReason);
        }
        else
        {
            Assert.Contains(reason, build.NonAotReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Detect_ThisMachine_ReadsOsArchitectureAndPath()
    {
        var host = BuildHost.Detect();

        var path = (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':');
        Assert.Equal(OperatingSystem.IsLinux(), host.IsLinux);
        Assert.Equal(RuntimeInformation.OSArchitecture, host.Architecture);
        Assert.Equal(path.Any(d => File.Exists(Path.Combine(d, "gcc")) || File.Exists(Path.Combine(d, "clang"))), host.HasCompiler);
        if (host.HasArm64CrossToolchain)
        {
            Assert.Contains(path, d => File.Exists(Path.Combine(d, "aarch64-linux-gnu-gcc")));
        }
    }

    [Fact]
    public void Create_HostCannotLinkArm64_WarnsAtSynthThatTheBuildIsNotAot()
    {
        var stack = StackWithoutBundling();
        var settings = new PublisherStackSettings { Architecture = FunctionArchitecture.Arm64, RepoRoot = RepoRoot() };
        var noCrossToolchain = CapableX64 with { HasArm64CrossToolchain = false };

        FunctionCodeFactory.Create(stack, settings, PublisherStack.PublisherProject, prebuiltDir: null, noCrossToolchain);

        var warning = Assert.Single(Warnings(stack));
        Assert.Contains("Publisher.Function is built WITHOUT Native AOT for linux-arm64", warning, StringComparison.Ordinal);
        Assert.Contains("gcc-aarch64-linux-gnu", warning, StringComparison.Ordinal);
        Assert.Contains("set context 'nativeAot=true' to fail", warning, StringComparison.Ordinal);
        Assert.Contains(FunctionCodeFactory.NonAotWarningId, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NativeAotForbidden_WarnsAtSynth()
    {
        var stack = StackWithoutBundling();
        var settings = new PublisherStackSettings { NativeAot = false, RepoRoot = RepoRoot() };

        FunctionCodeFactory.Create(stack, settings, PublisherStack.SubscriberProject, prebuiltDir: null, CapableX64);

        var warning = Assert.Single(Warnings(stack));
        Assert.Contains("Subscriber.Function is built WITHOUT Native AOT for linux-x64 because context 'nativeAot' is false", warning, StringComparison.Ordinal);
        Assert.Contains("Drop context 'nativeAot=false'", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FunctionArchitecture.X64)]
    [InlineData(FunctionArchitecture.Arm64)]
    public void Create_HostCanLinkNativeAot_NoWarning(FunctionArchitecture architecture)
    {
        var stack = StackWithoutBundling();
        var settings = new PublisherStackSettings { Architecture = architecture, RepoRoot = RepoRoot() };

        FunctionCodeFactory.Create(stack, settings, PublisherStack.PublisherProject, prebuiltDir: null, CapableX64);

        Assert.Empty(Warnings(stack));
    }

    /// <summary>A stack CDK does not bundle for (the bundling-stacks context names none), so no publish runs.</summary>
    private static Stack StackWithoutBundling()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["aws:cdk:bundling-stacks"] = Array.Empty<string>() } });
        return new Stack(app, "Bundling");
    }

    private static string RepoRoot() =>
        RepoLocator.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run the tests from inside the repository.");

    private static IEnumerable<string> Warnings(Stack stack) =>
        Amazon.CDK.Assertions.Annotations.FromStack(stack).FindWarning("*", Match.AnyValue())
            .Select(message => Newtonsoft.Json.JsonConvert.SerializeObject(message.Entry.Data));

    [Fact]
    public void Create_PrebuiltFolderWithoutBootstrap_FailsClearly()
    {
        var dir = Directory.CreateTempSubdirectory("prebuilt-");
        try
        {
            var error = Assert.Throws<ArgumentException>(() =>
                FunctionCodeFactory.Create(new Stack(), new PublisherStackSettings(), PublisherStack.PublisherProject, dir.FullName));

            Assert.Contains("has no 'bootstrap'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Create_BundlingWithoutRepoRoot_FailsClearly()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FunctionCodeFactory.Create(new Stack(), new PublisherStackSettings(), PublisherStack.PublisherProject, prebuiltDir: null));

        Assert.Contains("'repoRoot'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlaceholderDir_ShipsWithTheApp_AndHoldsABootstrap()
    {
        Assert.True(File.Exists(Path.Combine(FunctionCodeFactory.PlaceholderDir, "bootstrap")));
    }

    [Fact]
    public void RepoLocator_Find_WalksUpToTheFolderWithCdkJsonAndSrc()
    {
        var root = Directory.CreateTempSubdirectory("repo-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "cdk.json"), "{}");
            var deep = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "Publisher.Function", "obj"));

            Assert.Equal(root.FullName, RepoLocator.Find(deep.FullName));
            Assert.NotEqual(root.FullName, RepoLocator.Find(Path.GetTempPath()));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void TrimPackage_PublishOutput_KeepsBootstrapAndRuntimeFilesOnly()
    {
        var dir = Directory.CreateTempSubdirectory("package-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bootstrap"), "ELF-binary");
            File.WriteAllText(Path.Combine(dir.FullName, "Publisher.Function"), "ELF-binary");
            File.WriteAllText(Path.Combine(dir.FullName, "Publisher.Function.dll"), "IL");
            File.WriteAllText(Path.Combine(dir.FullName, "Publisher.Function.xml"), "<doc/>");
            File.WriteAllText(Path.Combine(dir.FullName, "bootstrap.dbg"), "symbols");
            File.WriteAllText(Path.Combine(dir.FullName, "Publisher.Function.pdb"), "symbols");

            DotnetPublishBundling.TrimPackage(dir.FullName, "Publisher.Function");

            Assert.Equal(["Publisher.Function.dll", "bootstrap"], dir.EnumerateFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
