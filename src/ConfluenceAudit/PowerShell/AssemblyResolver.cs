using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// The binding redirects Windows PowerShell has no place for. On .NET Framework, System.Text.Json 8 and its
/// dependencies ask for each other in versions that differ from the files shipped (System.Memory 4.0.1.2 asks for
/// System.Runtime.CompilerServices.Unsafe 4.0.4.1; 6.0.0.0 is shipped), and powershell.exe.config cannot redirect them
/// for a module. So when such a load fails, <see cref="AppDomain.AssemblyResolve"/> answers it with the DLL of that
/// name in the module's folder, whatever version was asked. The folder holds exactly the files the build ships (its
/// allow-list, build/ShippedFiles.psd1), so no list is kept here. Never on .NET Core, where PowerShell 7 binds its own,
/// newer copies of all of them.
/// </summary>
internal static class AssemblyResolver
{
    private static readonly object Gate = new object();
    private static ResolveEventHandler? handler;

    internal static bool IsNetFramework =>
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

    internal static bool IsRegistered
    {
        get
        {
            lock (Gate)
            {
                return handler != null;
            }
        }
    }

    /// <summary>
    /// The file that answers a failed load of <paramref name="requestedName"/> (an assembly's full or simple name): the
    /// DLL of that simple name in <paramref name="moduleDirectory"/>. Null leaves the request to the runtime and to other
    /// handlers: on .NET Core, for satellite (culture-specific) assemblies, for names that are not valid assembly names,
    /// and for any assembly the module does not ship.
    /// </summary>
    internal static string? GetAssemblyPath(string? requestedName, string moduleDirectory, bool onNetFramework)
    {
        if (!onNetFramework || string.IsNullOrEmpty(requestedName) || string.IsNullOrEmpty(moduleDirectory))
        {
            return null;
        }

        AssemblyName name;
        try
        {
            name = new AssemblyName(requestedName);
        }
        catch (Exception exception) when (exception is ArgumentException || exception is FileLoadException)
        {
            return null;
        }

        if (string.IsNullOrEmpty(name.Name) || name.Name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ||
            (name.CultureInfo != null && !name.CultureInfo.Equals(CultureInfo.InvariantCulture)))
        {
            return null;
        }

        var path = Path.Combine(moduleDirectory, name.Name + ".dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Adds the handler once, for the module in <paramref name="moduleDirectory"/>.</summary>
    internal static void Register(string moduleDirectory)
    {
        lock (Gate)
        {
            if (handler != null)
            {
                return;
            }

            handler = (sender, args) =>
            {
                var path = GetAssemblyPath(args.Name, moduleDirectory, onNetFramework: true);
                return path == null ? null : Assembly.LoadFrom(path);
            };
            AppDomain.CurrentDomain.AssemblyResolve += handler;
        }
    }

    /// <summary>Remove-Module: takes the handler away again (a no-op when none was added).</summary>
    internal static void Unregister()
    {
        lock (Gate)
        {
            if (handler == null)
            {
                return;
            }

            AppDomain.CurrentDomain.AssemblyResolve -= handler;
            handler = null;
        }
    }
}
