namespace Publisher.Cdk.Tests;

/// <summary>The function packages staged in the cloud assembly: the placeholder here, the real Native AOT or self-contained build after `cdk synth`.</summary>
[Collection(StackCollection.Name)]
public sealed class PackageTests(StackFixture fixture)
{
    private static string AssetFolder(SynthesizedStack stack, System.Text.Json.JsonElement function)
    {
        var key = function.GetProperty("Code").GetProperty("S3Key").GetString();
        Assert.EndsWith(".zip", key, StringComparison.Ordinal);
        return Path.Combine(stack.AssemblyDirectory, "asset." + Path.GetFileNameWithoutExtension(key));
    }

    [Fact]
    public void AllStacks_EachFunctionPackage_HoldsAnExecutableBootstrap()
    {
        foreach (var stack in fixture.All)
        {
            foreach (var (id, function) in stack.Resources("AWS::Lambda::Function"))
            {
                var folder = AssetFolder(stack, function);
                var bootstrap = Path.Combine(folder, "bootstrap");

                Assert.True(File.Exists(bootstrap), $"{stack} {id}: no bootstrap in {folder}");
                if (!OperatingSystem.IsWindows())
                {
                    Assert.True(File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute), $"{stack} {id}: bootstrap is not executable");
                }

                var head = new byte[4];
                using (var file = File.OpenRead(bootstrap))
                {
                    file.ReadExactly(head);
                }

                if (stack.IsFromCdkSynth)
                {
                    // The real build: a Linux executable and no debug symbols shipped.
                    Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, head);
                    Assert.Empty(new[] { "*.dbg", "*.pdb", "*.xml" }.SelectMany(pattern => Directory.EnumerateFiles(folder, pattern)));
                }
                else
                {
                    Assert.Equal("#!/b"u8.ToArray(), head);
                }
            }
        }
    }

    [Fact]
    public void Defaults_BothFunctions_ShareThePlaceholderPackage()
    {
        var keys = fixture.Defaults.Resources("AWS::Lambda::Function")
            .Select(f => f.Properties.GetProperty("Code").GetProperty("S3Key").GetString())
            .Distinct()
            .ToArray();

        Assert.Single(keys);
    }
}
