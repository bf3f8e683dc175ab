using ConfluenceAudit.Commands;

namespace ConfluenceAudit.Tests;

/// <summary>
/// The Windows PowerShell 5.1 assembly resolver's decisions (DependencyResolver.GetAssemblyPath), tested as a pure
/// function against a folder that stands in for the module's: which names it answers on .NET Framework, that it
/// leaves every other name alone, and that on .NET Core it never answers and is never registered.
/// </summary>
public sealed class AssemblyResolverTests : IDisposable
{
    private static readonly string[] Shipped =
    {
        "System.Text.Json",
        "System.Text.Encodings.Web",
        "Microsoft.Bcl.AsyncInterfaces",
        "System.Buffers",
        "System.Memory",
        "System.Numerics.Vectors",
        "System.Runtime.CompilerServices.Unsafe",
        "System.Threading.Tasks.Extensions",
    };

    private readonly string moduleDirectory = Path.Combine(Path.GetTempPath(), "ConfluenceAudit.ResolverTests." + Guid.NewGuid().ToString("N"));

    public AssemblyResolverTests()
    {
        Directory.CreateDirectory(moduleDirectory);
        foreach (var name in Shipped.Concat(new[] { "ConfluenceAudit", "Newtonsoft.Json", "System.Management.Automation" }))
        {
            File.WriteAllBytes(Path.Combine(moduleDirectory, name + ".dll"), Array.Empty<byte>());
        }
    }

    public void Dispose() => Directory.Delete(moduleDirectory, recursive: true);

    public static TheoryData<string> ShippedNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Shipped)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void It_Knows_Exactly_The_Dependencies_The_Module_Ships()
    {
        Assert.Equal(Shipped.OrderBy(n => n, StringComparer.Ordinal), DependencyResolver.AssemblyNames.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ShippedNames))]
    public void On_NetFramework_A_Shipped_Dependency_Resolves_To_The_Module_Folder_Whatever_Version_Is_Asked(string name)
    {
        var expected = Path.Combine(moduleDirectory, name + ".dll");
        foreach (var requested in new[]
        {
            name,
            $"{name}, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null",
            $"{name}, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a",
            $"{name}, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51",
            $"{name}, Version=99.1.2.3",
            name.ToUpperInvariant(),
        })
        {
            Assert.Equal(expected, DependencyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: true));
        }
    }

    [Theory]
    [InlineData("ConfluenceAudit")]
    [InlineData("ConfluenceAudit, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null")]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")]
    [InlineData("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")]
    [InlineData("mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")]
    [InlineData("netstandard, Version=2.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Text.Json.resources, Version=8.0.0.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Text.JsonX")]
    [InlineData("System.Text")]
    [InlineData("System.Net.Http, Version=4.2.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
    public void On_NetFramework_Any_Other_Name_Is_Left_Alone_Even_When_A_File_Of_That_Name_Is_There(string requested)
    {
        Assert.Null(DependencyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(", Version=1.0")]
    [InlineData("System.Text.Json, Version=not-a-version")]
    public void A_Malformed_Request_Is_Left_Alone_Without_Throwing(string? requested)
    {
        Assert.Null(DependencyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: true));
    }

    [Fact]
    public void A_Shipped_Name_Whose_File_Is_Missing_Is_Left_Alone()
    {
        File.Delete(Path.Combine(moduleDirectory, "System.Memory.dll"));
        Assert.Null(DependencyResolver.GetAssemblyPath("System.Memory, Version=4.0.1.2", moduleDirectory, onNetFramework: true));
    }

    [Theory]
    [MemberData(nameof(ShippedNames))]
    public void On_NetCore_Nothing_Is_Ever_Resolved(string name)
    {
        Assert.Null(DependencyResolver.GetAssemblyPath(name, moduleDirectory, onNetFramework: false));
        Assert.Null(DependencyResolver.GetAssemblyPath($"{name}, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", moduleDirectory, onNetFramework: false));
    }

    [Fact]
    public void This_Test_Process_Is_NetCore()
    {
        Assert.False(DependencyResolver.IsNetFramework);
    }
}

/// <summary>Registering the handler changes the test process's AppDomain: these run on their own.</summary>
[Collection(ProcessWideGroup.Name)]
public sealed class AssemblyResolverRegistrationTests
{
    [Fact]
    public void On_NetCore_Import_Registers_No_Handler()
    {
        new ModuleInitializer().OnImport();
        Assert.False(DependencyResolver.IsRegistered);
    }

    [Fact]
    public void Unregister_Removes_The_Handler_And_Is_Harmless_When_There_Is_None()
    {
        DependencyResolver.Unregister();
        var directory = Path.Combine(Path.GetTempPath(), "ConfluenceAudit.ResolverTests." + Guid.NewGuid().ToString("N"));
        DependencyResolver.Register(directory);
        try
        {
            Assert.True(DependencyResolver.IsRegistered);
            DependencyResolver.Register(directory);
            Assert.True(DependencyResolver.IsRegistered);
        }
        finally
        {
            DependencyResolver.Unregister();
        }

        Assert.False(DependencyResolver.IsRegistered);
        DependencyResolver.Unregister();
        Assert.False(DependencyResolver.IsRegistered);
    }
}
