using System.Text.RegularExpressions;

namespace ConfluenceAudit.Tests;

/// <summary>
/// The layering docs/ARCHITECTURE.md describes, checked on the sources: each folder of the module uses only the
/// folders below it, PowerShell stays in Commands/ and PowerShell/, the public types are where users look for them,
/// and files stay small enough to read.
/// </summary>
public sealed partial class ArchitectureTests
{
    private const int MaxSourceLines = 400;
    private const int MaxTestLines = 500;

    /// <summary>The ConfluenceAudit.* namespaces each folder may use: dependencies point one way, down the layers.</summary>
    private static readonly Dictionary<string, string[]> AllowedUses = new()
    {
        ["Models"] = Array.Empty<string>(),
        ["Logging"] = Array.Empty<string>(),
        ["Files"] = Array.Empty<string>(),
        ["Serialization"] = new[] { "Models" },
        ["Http"] = new[] { "Models", "Logging", "Serialization" },
        ["Authentication"] = new[] { "Models", "Logging", "Serialization", "Http" },
        ["Listing"] = new[] { "Models", "Logging", "Serialization", "Http" },
        ["Retention"] = new[] { "Models", "Logging", "Serialization", "Http" },
        ["Creation"] = new[] { "Models", "Logging", "Serialization", "Http" },
        ["Export"] = new[] { "Models", "Logging", "Serialization", "Http", "Files", "Listing" },
        ["Flavours"] = new[] { "Models", "Logging", "Serialization", "Http", "Listing", "Export", "Retention", "Creation" },
        ["Incremental"] = new[] { "Models", "Logging", "Serialization", "Files", "Listing", "Flavours" },
        ["Connections"] = new[] { "Models", "Logging", "Serialization", "Http", "Authentication", "Listing", "Export", "Retention", "Creation", "Flavours", "Incremental" },
        ["PowerShell"] = new[] { "Models", "Logging", "Serialization", "Files", "Listing", "Incremental", "Connections", "Commands" },
        ["Reporting"] = new[] { "Models", "Files" },
        ["Commands"] = new[] { "Models", "Listing", "Incremental", "Connections", "PowerShell", "Reporting" },
    };

    private static readonly string ModuleSource = Path.Combine(RepositoryRoot(), "src", "ConfluenceAudit");

    public static TheoryData<string> ModuleFolders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in AllowedUses.Keys)
        {
            data.Add(folder);
        }

        return data;
    }

    [Fact]
    public void Every_Folder_Of_The_Module_Has_Its_Place_In_The_Layers()
    {
        var folders = Directory.GetDirectories(ModuleSource).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.Empty(folders.Except(AllowedUses.Keys));
        Assert.Empty(Directory.GetFiles(ModuleSource, "*.cs"));
    }

    [Theory]
    [MemberData(nameof(ModuleFolders))]
    public void A_Folder_Uses_Only_The_Folders_Below_It(string folder)
    {
        var offending = new List<string>();
        foreach (var file in SourceFiles(Path.Combine(ModuleSource, folder)))
        {
            foreach (Match use in ModuleUsing().Matches(File.ReadAllText(file)))
            {
                var used = use.Groups["folder"].Value;
                if (used != folder && !AllowedUses[folder].Contains(used))
                {
                    offending.Add($"{Path.GetFileName(file)} uses ConfluenceAudit.{used}");
                }
            }
        }

        Assert.Empty(offending);
    }

    [Fact]
    public void PowerShell_Is_Used_Only_In_Commands_And_PowerShell()
    {
        var offending = SourceFiles(ModuleSource)
            .Where(file => !InFolder(file, "Commands") && !InFolder(file, "PowerShell"))
            .Where(file => File.ReadAllText(file).Contains("System.Management.Automation", StringComparison.Ordinal) ||
                           File.ReadAllText(file).Contains("Microsoft.PowerShell", StringComparison.Ordinal))
            .Select(Relative)
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Commands_Holds_Only_Cmdlets_One_Per_File()
    {
        var offending = SourceFiles(Path.Combine(ModuleSource, "Commands"))
            .Where(file => !Path.GetFileName(file).EndsWith("Command.cs", StringComparison.Ordinal) ||
                           CmdletAttribute().Count(File.ReadAllText(file)) != 1)
            .Select(Relative)
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Public_Types_Live_In_Models_And_Commands_Each_In_A_File_Of_Its_Name()
    {
        var assembly = typeof(Models.ConfluenceAuditRecord).Assembly;
        var offending = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.Namespace is not ("ConfluenceAudit.Models" or "ConfluenceAudit.Commands"))
            {
                offending.Add(type.FullName + " is public outside ConfluenceAudit.Models and ConfluenceAudit.Commands");
            }

            var name = (type.IsNested ? type.DeclaringType!.Name : type.Name).Split('`')[0];
            var files = SourceFiles(ModuleSource).Where(f => Path.GetFileNameWithoutExtension(f) == name).ToList();
            if (files.Count != 1)
            {
                offending.Add($"{type.FullName} is in {files.Count} files named {name}.cs");
            }
        }

        Assert.Empty(offending);
    }

    [Fact]
    public void No_Source_File_Is_Over_400_Lines()
    {
        var offending = SourceFiles(Path.Combine(RepositoryRoot(), "src"))
            .Where(file => File.ReadLines(file).Count() > MaxSourceLines)
            .Select(file => $"{Relative(file)}: {File.ReadLines(file).Count()} lines")
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void No_Test_File_Is_Over_500_Lines()
    {
        var tests = Path.Combine(RepositoryRoot(), "tests");
        var offending = Directory.EnumerateFiles(tests, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".ps1", StringComparison.Ordinal) || file.EndsWith(".psm1", StringComparison.Ordinal))
            .Where(file => !IsBuildOutput(file))
            .Where(file => File.ReadLines(file).Count() > MaxTestLines)
            .Select(file => $"{Relative(file)}: {File.ReadLines(file).Count()} lines")
            .ToList();

        Assert.Empty(offending);
    }

    [GeneratedRegex(@"^using\s+ConfluenceAudit\.(?<folder>\w+)\s*;", RegexOptions.Multiline)]
    private static partial Regex ModuleUsing();

    [GeneratedRegex(@"^\[Cmdlet\(", RegexOptions.Multiline)]
    private static partial Regex CmdletAttribute();

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(file => !IsBuildOutput(file));

    private static bool IsBuildOutput(string file) =>
        file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules");

    private static bool InFolder(string file, string folder) =>
        Path.GetRelativePath(ModuleSource, file).Split(Path.DirectorySeparatorChar)[0] == folder;

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot(), file);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ConfluenceAudit.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: ConfluenceAudit.sln was not found above " + AppContext.BaseDirectory);
    }
}
