using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace Peering.Packaging.Tests;

/// <summary>
/// Packs Peering.StateMachines, Peering.StateMachines.Tools, Peering.Reducer and Peering.Cli (no-build, from this test run's
/// configuration) into a temporary folder once for the test class. Everything restored from it goes
/// to a temporary NuGet package folder, so a stale package of the same version in the user's cache
/// can never stand in for the fresh one.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public PackedPackages()
    {
        RepoRoot = FindRepoRoot();
        Version = XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props")).Descendants("Version").Single().Value;
        Configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        Root = Directory.CreateTempSubdirectory("peering-packaging-").FullName;
        Packages = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        NuGetPackages = Directory.CreateDirectory(Path.Combine(Root, "nuget-packages")).FullName;
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Packages}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        foreach (var project in new[] { "src/Peering.StateMachines", "src/Peering.StateMachines.Tools", "src/Peering", "src/Peering.Cli" })
        {
            var result = Dotnet.Run(RepoRoot, NuGetPackages, TimeSpan.FromMinutes(4),
                "pack", project, "--no-build", "-c", Configuration, "-o", Packages, "-nodeReuse:false", "-tl:off", "-v:m");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("packing failed: " + result.Describe());
            }
        }

        // The tool's RID-specific packages: the framework-dependent fallback, and the Native AOT build.
        foreach (var rid in new[] { "any", "linux-x64" })
        {
            var result = Dotnet.Run(RepoRoot, NuGetPackages, TimeSpan.FromMinutes(15),
                "pack", "src/Peering.Cli", "-r", rid, "-c", Configuration, "-o", Packages, "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"packing the {rid} tool failed: " + result.Describe());
            }
        }
    }

    /// <summary>The repository root.</summary>
    public string RepoRoot { get; }

    /// <summary>The version every package must have (Directory.Build.props).</summary>
    public string Version { get; }

    /// <summary>The configuration whose outputs were packed.</summary>
    public string Configuration { get; }

    /// <summary>The temporary root; it holds a nuget.config with the local folder and nuget.org.</summary>
    public string Root { get; }

    /// <summary>The local package folder.</summary>
    public string Packages { get; }

    /// <summary>The isolated NuGet global packages folder.</summary>
    public string NuGetPackages { get; }

    /// <summary>The path of package <paramref name="id"/> at <see cref="Version"/>.</summary>
    public string Package(string id) => Path.Combine(Packages, $"{id}.{Version}.nupkg");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Peering.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Peering.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The packages as a user gets them: their contents, the tool installed from the folder, and a fresh consumer project.</summary>
public sealed partial class PackagingTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private static (HashSet<string> Files, XElement Metadata) Open(string nupkg)
    {
        Assert.True(File.Exists(nupkg), $"{Path.GetFileName(nupkg)} was not packed");
        using var zip = ZipFile.OpenRead(nupkg);
        var files = zip.Entries.Select(e => e.FullName).ToHashSet();
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return (files, metadata);
    }

    private static string? Meta(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private void AssertCommonMetadata(string id, XElement metadata)
    {
        Assert.Equal(id, Meta(metadata, "id"));
        Assert.Equal(packed.Version, Meta(metadata, "version"));
        Assert.Equal("MIT", Meta(metadata, "license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Meta(metadata, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Meta(metadata, "description")));
        Assert.False(string.IsNullOrWhiteSpace(Meta(metadata, "tags")));
        Assert.StartsWith("https://", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
    }

    [Fact]
    public void Pack_makes_the_library_packages_with_the_generator_and_analyzer_where_users_get_them()
    {
        var (machines, machinesMeta) = Open(packed.Package("Peering.StateMachines"));
        AssertCommonMetadata("Peering.StateMachines", machinesMeta);
        Assert.Contains("lib/net10.0/Peering.StateMachines.dll", machines);
        Assert.Contains("README.md", machines);
        Assert.Contains("analyzers/dotnet/cs/Peering.Generators.dll", machines);
        Assert.Contains("analyzers/dotnet/cs/Peering.Analyzers.dll", machines);
        Assert.Contains("analyzers/dotnet/cs/Peering.Analyzers.CodeFixes.dll", machines);
        Assert.DoesNotContain(machines, f => f.StartsWith("lib/", StringComparison.Ordinal) && f.Contains("Peering.Generators", StringComparison.Ordinal));

        var (tools, toolsMeta) = Open(packed.Package("Peering.StateMachines.Tools"));
        AssertCommonMetadata("Peering.StateMachines.Tools", toolsMeta);
        Assert.Contains("lib/net10.0/Peering.StateMachines.Tools.dll", tools);
        Assert.DoesNotContain(tools, f => f.StartsWith("analyzers/", StringComparison.Ordinal));
        var toolsDependencies = toolsMeta.Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        var core = toolsDependencies.Single(d => d.Attribute("id")?.Value == "Peering.StateMachines");
        Assert.Equal(packed.Version, core.Attribute("version")?.Value);
        Assert.DoesNotContain("Analyzers", core.Attribute("exclude")?.Value ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Contains(toolsDependencies, d => d.Attribute("id")?.Value == "System.CommandLine");

        var (reducer, reducerMeta) = Open(packed.Package("Peering.Reducer"));
        AssertCommonMetadata("Peering.Reducer", reducerMeta);
        Assert.Contains("lib/net10.0/Peering.Reducer.dll", reducer);
        Assert.Contains("build/Peering.Reducer.props", reducer);
        // The generator and analyzer come once, through the dependency: two copies would generate twice.
        Assert.DoesNotContain(reducer, f => f.StartsWith("analyzers/", StringComparison.Ordinal));
        var dependency = reducerMeta.Descendants().Single(e => e.Name.LocalName == "dependency");
        Assert.Equal("Peering.StateMachines", dependency.Attribute("id")?.Value);
        Assert.Equal(packed.Version, dependency.Attribute("version")?.Value);
        var excluded = dependency.Attribute("exclude")?.Value ?? "";
        Assert.DoesNotContain("Analyzers", excluded, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The tool as RID-specific packages: <c>Peering.Cli</c> names <c>Peering.Cli.linux-x64</c> (the Native
    /// AOT executable, no assemblies) and <c>Peering.Cli.any</c> (the framework-dependent tool).
    /// </summary>
    [Fact]
    public void Pack_makes_the_tool_packages()
    {
        var (pointer, meta) = Open(packed.Package("Peering.Cli"));
        AssertCommonMetadata("Peering.Cli", meta);
        Assert.Equal("DotnetTool", meta.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        Assert.DoesNotContain(pointer, f => f.EndsWith(".dll", StringComparison.Ordinal));
        var settings = Settings(packed.Package("Peering.Cli"), "tools/any/any/DotnetToolSettings.xml");
        Assert.Equal("peering", settings.Descendants("Command").Single().Attribute("Name")?.Value);
        Assert.Equal(
            ["linux-x64 Peering.Cli.linux-x64", "any Peering.Cli.any"],
            settings.Descendants("RuntimeIdentifierPackage").Select(p => $"{p.Attribute("RuntimeIdentifier")?.Value} {p.Attribute("Id")?.Value}"));

        var (portable, _) = Open(packed.Package("Peering.Cli.any"));
        Assert.Contains("tools/net10.0/any/peering.dll", portable);
        Assert.Contains("tools/net10.0/any/Peering.Reducer.dll", portable);
        Assert.Equal("peering.dll", Settings(packed.Package("Peering.Cli.any"), "tools/net10.0/any/DotnetToolSettings.xml").Descendants("Command").Single().Attribute("EntryPoint")?.Value);

        var (native, _) = Open(packed.Package("Peering.Cli.linux-x64"));
        Assert.Contains("tools/any/linux-x64/peering", native);
        Assert.DoesNotContain(native, f => f.EndsWith(".dll", StringComparison.Ordinal));
        Assert.Equal("peering", Settings(packed.Package("Peering.Cli.linux-x64"), "tools/any/linux-x64/DotnetToolSettings.xml").Descendants("Command").Single().Attribute("EntryPoint")?.Value);
    }

    private static XDocument Settings(string package, string entry)
    {
        using var zip = ZipFile.OpenRead(package);
        using var settings = zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"{package} has no {entry}");
        return XDocument.Load(settings);
    }

    /// <summary>Installs the tool from the local folder into <paramref name="name"/> under the root; the command's path.</summary>
    private string InstallTool(string name)
    {
        var tools = Path.Combine(packed.Root, name);
        var install = Dotnet.Run(packed.Root, packed.NuGetPackages, BuildTimeout,
            "tool", "install", "--tool-path", tools, "--add-source", packed.Packages, "Peering.Cli", "--version", packed.Version);
        Assert.True(install.ExitCode == 0, install.Describe());
        var peering = Path.Combine(tools, OperatingSystem.IsWindows() ? "peering.exe" : "peering");
        Assert.True(File.Exists(peering), $"no {peering} after install:\n{install.Output}");
        return peering;
    }

    [Fact]
    public void The_tool_installs_from_the_local_folder_and_runs()
    {
        var peering = InstallTool("tools");
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            // On linux-x64 the command is the native executable of Peering.Cli.linux-x64, not an apphost beside assemblies.
            var target = File.ResolveLinkTarget(peering, returnFinalTarget: true)?.FullName ?? peering;
            Assert.Contains("peering.cli.linux-x64", target, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target)!, "*.dll"));
        }

        var version = Dotnet.RunProcess(peering, packed.Root, packed.NuGetPackages, TimeSpan.FromMinutes(1), "--version");
        Assert.True(version.ExitCode == 0, version.Describe());
        // System.CommandLine prints the informational version: the package version, then +commit when built from git.
        Assert.Equal(packed.Version, version.Output.Trim().Split('+')[0]);

        // A short campaign with issue 4's documented options; exit 0 means every cycle verified clean.
        var fuzz = Dotnet.RunProcess(peering, packed.Root, packed.NuGetPackages, TimeSpan.FromMinutes(3),
            "fuzz", "--cycles", "2", "--event-range", "32", "64");
        Assert.True(fuzz.ExitCode == 0, fuzz.Describe());
        Assert.False(string.IsNullOrWhiteSpace(fuzz.Output), "fuzz printed no summary");
    }

    // A fresh consumer project in the temporary root: the sample's project file and the given sources.
    private string Sample(string name, string project, params (string File, string Text)[] sources)
    {
        var sample = Path.Combine(packed.Root, name);
        Directory.CreateDirectory(sample);
        File.Copy(Path.Combine(packed.Root, "nuget.config"), Path.Combine(sample, "nuget.config"), overwrite: true);
        File.WriteAllText(Path.Combine(sample, "Sample.csproj"), project.Replace("$(PeeringVersion)", packed.Version, StringComparison.Ordinal));
        foreach (var (file, text) in sources)
        {
            File.WriteAllText(Path.Combine(sample, file), text);
        }

        return sample;
    }

    private static string Template(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sample", path)).ReplaceLineEndings("\n");

    private static readonly string[] DebugBuild = ["build", "-c", "Debug", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off"];

    private ProcessResult BuildClean(string sample)
    {
        var build = Dotnet.Run(sample, packed.NuGetPackages, BuildTimeout, DebugBuild);
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.Contains("0 Warning(s)", build.Output);
        Assert.Contains("0 Error(s)", build.Output);
        Assert.DoesNotContain(": warning ", build.Output);
        return build;
    }

    /// <summary>
    /// A fresh project that references only Peering.StateMachines.Tools from the local folder and declares
    /// the README's turnstile, first with Locked's Coin target left out of its declaration: the handler's
    /// move Locked -> Unlocked must fail the build with PSM101 at that line. Then with the declaration
    /// fixed it builds with no warning, and the README's Program.cs prints what the declarations say,
    /// worked by hand.
    /// </summary>
    [Fact]
    public void A_fresh_project_gets_the_transition_error_then_builds_clean()
    {
        var turnstile = Template("Turnstile.cs");
        const string declared = "[State, Handles(typeof(Coin), typeof(Unlocked)), Handles(typeof(Push))]";
        const string undeclared = "[State, Handles(typeof(Coin)), Handles(typeof(Push))]";
        Assert.Contains(declared, turnstile);
        var sample = Sample("sample", Template("Sample.csproj"), ("Program.cs", Template("Program.cs")), ("Turnstile.cs", turnstile.Replace(declared, undeclared, StringComparison.Ordinal)));

        var broken = Dotnet.Run(sample, packed.NuGetPackages, BuildTimeout, DebugBuild);
        Assert.True(broken.ExitCode != 0, "the build with the undeclared move succeeded:\n" + broken.Describe());
        var line = turnstile.Split('\n').ToList().FindIndex(l => l.Contains("Move(TurnstileState.Unlocked);", StringComparison.Ordinal)) + 1;
        Assert.True(line > 0);
        const string message = "error PSM101: Transition from 'Locked' to 'Unlocked' is not permitted; permitted from 'Locked' on 'Coin': {}";
        Assert.True(broken.Output.Contains(message, StringComparison.Ordinal), $"no `{message}` in:\n{broken.Describe()}");
        Assert.Contains($"Turnstile.cs({line},", broken.Output);
        Assert.DoesNotContain("error CS", broken.Output);

        File.WriteAllText(Path.Combine(sample, "Turnstile.cs"), turnstile);
        BuildClean(sample);
        var run = Dotnet.Run(sample, packed.NuGetPackages, TimeSpan.FromMinutes(1), Path.Combine(sample, "bin", "Debug", "net10.0", "Sample.dll"));
        Assert.True(run.ExitCode == 0, run.Describe());

        // Coin: Locked -> Unlocked, one coin; Push: back to Locked. Push on Locked: no move, a low beep.
        string[] expected =
        [
            "Locked, invariants hold: True",
            "Locked -> Locked, coins 1, effects: Beep { Tone = low }",
        ];
        Assert.Equal(expected, run.Output.TrimEnd('\n').Split('\n'));
    }

    /// <summary>
    /// The README's "Test your machine": the turnstile's Program.cs replaced by the host, then every
    /// command the README lists, run as printed (with <c>dotnet run --</c> standing for the built program).
    /// </summary>
    [Fact]
    public void The_readme_commands_run_the_turnstile_tool()
    {
        var sample = Sample("tool", Template("Sample.csproj"), ("Program.cs", Template("Tool/Program.cs")), ("Turnstile.cs", Template("Turnstile.cs")));
        BuildClean(sample);
        var program = Path.Combine(sample, "bin", "Debug", "net10.0", "Sample.dll");
        var commands = ReadmeCommands();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            Assert.Equal(["dotnet", "run", "--"], words.Take(3));
            var redirect = words.IndexOf(">");
            var args = redirect < 0 ? words.Skip(3).ToList() : words.Skip(3).Take(redirect - 3).ToList();
            var run = Dotnet.Run(sample, packed.NuGetPackages, TimeSpan.FromMinutes(2), [program, .. args]);
            Assert.True(run.ExitCode == 0, $"{command}: {run.Describe()}");
            if (redirect >= 0)
            {
                File.WriteAllText(Path.Combine(sample, words[redirect + 1]), run.Output);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(run.Output), $"{command} printed nothing");
            }
        }
    }

    /// <summary>
    /// A fresh project that references Peering.Reducer steps the peering machine. The spec's aliases are
    /// opt-in: without <c>PeeringReducerAliases</c> the name <c>OsdSet</c> is the project's own (a type
    /// of that name would clash with a global alias); with it, <c>OsdSet</c> is the model's set.
    /// </summary>
    [Fact]
    public void The_reducer_package_steps_the_peering_machine_and_its_aliases_are_opt_in()
    {
        const string program = """
            using Peering.Machine;

            var step = PeeringMachine.Step(PgSnapshot.Fresh, new DeleteStart());
            Console.WriteLine($"states: {PeeringMachine.Definition.States.Length}, {step.From} -> {step.To}");

            sealed class OsdSet;
            """;
        var project = Template("Sample.csproj").Replace("Peering.StateMachines.Tools", "Peering.Reducer", StringComparison.Ordinal);
        var sample = Sample("reducer", project, ("Program.cs", program));
        BuildClean(sample);
        var run = Dotnet.Run(sample, packed.NuGetPackages, TimeSpan.FromMinutes(1), Path.Combine(sample, "bin", "Debug", "net10.0", "Sample.dll"));
        Assert.True(run.ExitCode == 0, run.Describe());

        // REDUCER.md: 12 states; DeleteStart from Initial moves to Deleting.
        Assert.Equal("states: 12, Initial -> Deleting", run.Output.Trim());

        const string aliased = """
            var osds = OsdSet.Of([3, -1, 2, 3]);
            Console.WriteLine(string.Join(",", osds.ToArray()));
            """;
        var optedIn = Sample("reducer-aliases", project.Replace("</PropertyGroup>", "  <PeeringReducerAliases>true</PeeringReducerAliases>\n  </PropertyGroup>", StringComparison.Ordinal), ("Program.cs", aliased));
        BuildClean(optedIn);
        run = Dotnet.Run(optedIn, packed.NuGetPackages, TimeSpan.FromMinutes(1), Path.Combine(optedIn, "bin", "Debug", "net10.0", "Sample.dll"));
        Assert.True(run.ExitCode == 0, run.Describe());

        // MODEL.md §2: a set of OSD ids, each once, in ascending signed order.
        Assert.Equal("-1,2,3", run.Output.Trim());
    }

    /// <summary>The README's quickstart shows the sample's files, character for character.</summary>
    [Theory]
    [InlineData("Turnstile.cs")]
    [InlineData("Program.cs")]
    [InlineData("Tool/Program.cs")]
    public void The_readme_quickstart_is_the_sample_that_builds(string file)
    {
        var readme = File.ReadAllText(Path.Combine(packed.RepoRoot, "README.md")).ReplaceLineEndings("\n");
        Assert.True(readme.Contains("```csharp\n" + Template(file) + "```\n", StringComparison.Ordinal),
            $"README.md must show tests/Peering.Packaging.Tests/Sample/{file} exactly, in a ```csharp block");
    }

    // The sh block of the README's "Test your machine" section: the commands a user runs on the turnstile.
    private List<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(packed.RepoRoot, "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("### Test your machine", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"### Test your machine\" section");
        var start = readme.IndexOf("```sh\n", section, StringComparison.Ordinal) + "```sh\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return [.. readme[start..end].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
