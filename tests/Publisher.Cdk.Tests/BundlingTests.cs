using Publisher.Cdk.Internal;

namespace Publisher.Cdk.Tests;

/// <summary>How the function packages are produced; pure .NET (the real publish runs in `cdk synth`).</summary>
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

    [Theory]
    [InlineData(FunctionArchitecture.X64, "linux-x64")]
    [InlineData(FunctionArchitecture.Arm64, "linux-arm64")]
    public void RuntimeIdentifier_Architecture_MapsToTheRid(FunctionArchitecture architecture, string rid)
    {
        Assert.Equal(rid, FunctionCodeFactory.RuntimeIdentifier(architecture));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UseNativeAot_Forced_WinsOverTheHost(bool forced)
    {
        Assert.Equal(forced, FunctionCodeFactory.UseNativeAot(new PublisherStackSettings { NativeAot = forced }));
    }

    [Fact]
    public void UseNativeAot_Auto_FollowsHostOsArchitectureAndToolchain()
    {
        var x64 = FunctionCodeFactory.UseNativeAot(new PublisherStackSettings());
        var arm64 = FunctionCodeFactory.UseNativeAot(new PublisherStackSettings { Architecture = FunctionArchitecture.Arm64 });

        var hostArch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture;
        var hasCompiler = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Any(d => File.Exists(Path.Combine(d, "gcc")) || File.Exists(Path.Combine(d, "clang")));
        Assert.Equal(OperatingSystem.IsLinux() && hostArch == System.Runtime.InteropServices.Architecture.X64 && hasCompiler, x64);
        Assert.Equal(OperatingSystem.IsLinux() && hostArch == System.Runtime.InteropServices.Architecture.Arm64 && hasCompiler, arm64);
    }

    [Fact]
    public void Create_PrebuiltFolderWithoutBootstrap_FailsClearly()
    {
        var dir = Directory.CreateTempSubdirectory("prebuilt-");
        try
        {
            var error = Assert.Throws<ArgumentException>(() =>
                FunctionCodeFactory.Create(new PublisherStackSettings(), PublisherStack.PublisherProject, dir.FullName));

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
            FunctionCodeFactory.Create(new PublisherStackSettings(), PublisherStack.PublisherProject, prebuiltDir: null));

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
