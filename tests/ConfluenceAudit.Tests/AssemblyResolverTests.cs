using System.Reflection;
using System.Reflection.Emit;
using ConfluenceAudit.Commands;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Tests;

/// <summary>
/// The Windows PowerShell 5.1 assembly resolver's decisions (<see cref="AssemblyResolver.GetAssemblyPath"/>), tested as
/// a pure function against a folder that stands in for the module's: a request for any DLL in the folder is answered
/// with that file whatever version it asks for; everything else (satellites, malformed names, files not there, and
/// anything at all on .NET Core) is left to the runtime. The build checks the same function against every reference of
/// every shipped DLL (build/, Test-WindowsPowerShellCompatibility).
/// </summary>
public sealed class AssemblyResolverTests : IDisposable
{
    private static readonly string[] InFolder = { "System.Text.Json", "System.Memory", "System.Runtime.CompilerServices.Unsafe" };

    private readonly string moduleDirectory = Path.Combine(Path.GetTempPath(), "ConfluenceAudit.ResolverTests." + Guid.NewGuid().ToString("N"));

    public AssemblyResolverTests()
    {
        Directory.CreateDirectory(moduleDirectory);
        foreach (var name in InFolder)
        {
            File.WriteAllBytes(Path.Combine(moduleDirectory, name + ".dll"), Array.Empty<byte>());
        }
    }

    public void Dispose() => Directory.Delete(moduleDirectory, recursive: true);

    [Theory]
    [InlineData("System.Text.Json")]
    [InlineData("System.Text.Json, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null")]
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Text.Json, Version=99.1.2.3")]
    [InlineData("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
    public void On_NetFramework_A_Dll_In_The_Module_Folder_Answers_Its_Name_Whatever_Version_Is_Asked(string requested)
    {
        var simpleName = new AssemblyName(requested).Name!;
        var expected = Path.Combine(moduleDirectory, InFolder.Single(n => n.Equals(simpleName, StringComparison.OrdinalIgnoreCase)) + ".dll");

        var answer = AssemblyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: true);

        Assert.NotNull(answer);
        Assert.Equal(expected, answer, StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")]
    [InlineData("mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")]
    [InlineData("System.Text.Json.resources, Version=8.0.0.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Text.JsonX")]
    [InlineData("System.Text")]
    [InlineData("../System.Text.Json")]
    public void On_NetFramework_A_Name_With_No_Dll_In_The_Folder_Or_A_Culture_Is_Left_Alone(string requested)
    {
        Assert.Null(AssemblyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(", Version=1.0")]
    [InlineData("System.Text.Json, Version=not-a-version")]
    public void A_Malformed_Request_Is_Left_Alone_Without_Throwing(string? requested)
    {
        Assert.Null(AssemblyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: true));
    }

    [Fact]
    public void A_Dll_Removed_From_The_Folder_No_Longer_Answers()
    {
        Assert.NotNull(AssemblyResolver.GetAssemblyPath("System.Memory, Version=4.0.1.2", moduleDirectory, onNetFramework: true));
        File.Delete(Path.Combine(moduleDirectory, "System.Memory.dll"));
        Assert.Null(AssemblyResolver.GetAssemblyPath("System.Memory, Version=4.0.1.2", moduleDirectory, onNetFramework: true));
    }

    [Theory]
    [InlineData("System.Text.Json")]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
    public void On_NetCore_Nothing_Is_Ever_Resolved(string requested)
    {
        Assert.Null(AssemblyResolver.GetAssemblyPath(requested, moduleDirectory, onNetFramework: false));
    }

    [Fact]
    public void This_Test_Process_Is_NetCore()
    {
        Assert.False(AssemblyResolver.IsNetFramework);
    }
}

/// <summary>
/// The registered handler, end to end: a real assembly in a folder of its own, which the runtime cannot find by itself,
/// loads through the handler in whatever version is asked, and no longer once the handler is removed. Registering
/// changes the test process's AppDomain: these run on their own.
/// </summary>
[Collection(ProcessWideGroup.Name)]
public sealed class AssemblyResolverRegistrationTests : IDisposable
{
    private readonly string moduleDirectory = Path.Combine(Path.GetTempPath(), "ConfluenceAudit.ResolverTests." + Guid.NewGuid().ToString("N"));

    public AssemblyResolverRegistrationTests()
    {
        Directory.CreateDirectory(moduleDirectory);
        AssemblyResolver.Unregister();
    }

    public void Dispose()
    {
        AssemblyResolver.Unregister();
        try
        {
            Directory.Delete(moduleDirectory, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Windows keeps a loaded assembly's file open; the temporary folder is left behind there.
        }
    }

    [Fact]
    public void On_NetCore_Import_Registers_No_Handler()
    {
        new ModuleInitializer().OnImport();
        Assert.False(AssemblyResolver.IsRegistered);
    }

    [Fact]
    public void A_Registered_Handler_Loads_The_Folders_Dll_When_The_Runtime_Cannot_Bind_The_Asked_Version()
    {
        var name = "ConfluenceAudit.ResolverProbe" + Guid.NewGuid().ToString("N");
        var path = WriteAssembly(name, new Version(1, 0, 0, 0));
        var request = $"{name}, Version=4.0.4.1, Culture=neutral, PublicKeyToken=null";
        Assert.Throws<FileNotFoundException>(() => Assembly.Load(request));

        AssemblyResolver.Register(moduleDirectory);
        var loaded = Assembly.Load(request);

        Assert.Equal(path, loaded.Location);
        Assert.Equal(new Version(1, 0, 0, 0), loaded.GetName().Version);
    }

    [Fact]
    public void Register_Is_Idempotent_And_Unregister_Removes_The_Handler()
    {
        var name = "ConfluenceAudit.ResolverProbe" + Guid.NewGuid().ToString("N");
        WriteAssembly(name, new Version(2, 0, 0, 0));

        AssemblyResolver.Register(moduleDirectory);
        AssemblyResolver.Register(moduleDirectory);
        Assert.True(AssemblyResolver.IsRegistered);
        AssemblyResolver.Unregister();
        AssemblyResolver.Unregister();

        Assert.False(AssemblyResolver.IsRegistered);
        Assert.Throws<FileNotFoundException>(() => Assembly.Load(name));
    }

    /// <summary>A real, empty assembly of the given identity in the stand-in module folder.</summary>
    private string WriteAssembly(string name, Version version)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName(name) { Version = version }, typeof(object).Assembly);
        builder.DefineDynamicModule(name).DefineType(name + ".Marker", TypeAttributes.Public).CreateType();
        var path = Path.Combine(moduleDirectory, name + ".dll");
        builder.Save(path);
        return path;
    }
}
