using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ConfluenceAudit.Commands
{
    /// <summary>
    /// Import-Module: on Windows PowerShell 5.1 (.NET Framework), binds System.Text.Json and its dependencies to the
    /// copies shipped in the module's folder (see <see cref="DependencyResolver"/>). On PowerShell 7 it does nothing.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            if (DependencyResolver.IsNetFramework)
            {
                DependencyResolver.Register(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);
            }
        }
    }

    /// <summary>
    /// The binding redirects Windows PowerShell has no place for. On .NET Framework, System.Text.Json 8 and its
    /// dependencies ask for each other in versions that differ from the files shipped (System.Memory 4.0.1.2 asks for
    /// System.Runtime.CompilerServices.Unsafe 4.0.4.1; 6.0.0.0 is shipped), and powershell.exe.config cannot
    /// redirect them for a module. So when such a load fails, <see cref="AppDomain.AssemblyResolve"/> answers it
    /// with the file from the module's folder, whatever version was asked. Exactly these names, nothing else, and
    /// never on .NET Core, where PowerShell 7 binds its own, newer copies of all of them.
    /// </summary>
    internal static class DependencyResolver
    {
        /// <summary>The assemblies the module ships besides itself (build.ps1's allow-list), by simple name.</summary>
        internal static readonly string[] AssemblyNames =
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
        /// The file that answers a failed load of <paramref name="requestedName"/> (an assembly's full or simple
        /// name), or null to leave the request to the runtime and to other handlers: on .NET Core, for any name not
        /// in <see cref="AssemblyNames"/>, for satellite (culture-specific) assemblies, and when the file is missing.
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
            catch (ArgumentException)
            {
                return null;
            }
            catch (FileLoadException)
            {
                return null;
            }

            if (name.CultureInfo != null && !name.CultureInfo.Equals(CultureInfo.InvariantCulture))
            {
                return null;
            }

            foreach (var known in AssemblyNames)
            {
                if (string.Equals(known, name.Name, StringComparison.OrdinalIgnoreCase))
                {
                    var path = Path.Combine(moduleDirectory, known + ".dll");
                    return File.Exists(path) ? path : null;
                }
            }

            return null;
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
}
