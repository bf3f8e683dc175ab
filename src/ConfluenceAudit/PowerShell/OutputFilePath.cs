using System.IO;
using System.Management.Automation;
using ConfluenceAudit.Commands;
using Microsoft.PowerShell.Commands;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// A file a cmdlet writes (-Path or -LiteralPath), resolved through the session's provider and checked the way
/// Export-Csv checks it (-NoClobber, -Force for a read-only file) before any request is sent.
/// </summary>
internal static class OutputFilePath
{
    /// <param name="errorPrefix">The first word of the error ids: "Export" gives ExportFileExists, ExportDirectoryNotFound...</param>
    /// <param name="exampleName">A file name the message can suggest when a folder was given.</param>
    public static string Resolve(ConfluenceAuditCmdlet cmdlet, string given, bool noClobber, bool force, string errorPrefix, string exampleName)
    {
        var target = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out var provider, out _);
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            cmdlet.Fail(errorPrefix + "PathNotFileSystem", ErrorCategory.InvalidArgument,
                $"'{given}' is on the {provider.Name} provider; the file can only be written to a file system path.", given);
        }

        var directory = Path.GetDirectoryName(target);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            cmdlet.Fail(errorPrefix + "DirectoryNotFound", ErrorCategory.ObjectNotFound, $"The folder '{directory}' does not exist. Create it first, or write to another path.", target);
        }

        if (Directory.Exists(target))
        {
            cmdlet.Fail(errorPrefix + "PathIsFolder", ErrorCategory.InvalidArgument, $"'{target}' is a folder. Give a file name, such as {Path.Combine(target, exampleName)}.", target);
        }

        if (!File.Exists(target))
        {
            return target;
        }

        if (noClobber)
        {
            cmdlet.Fail(errorPrefix + "FileExists", ErrorCategory.ResourceExists, $"'{target}' already exists and -NoClobber was given. Choose another path, or leave out -NoClobber to replace it.", target);
        }

        if ((File.GetAttributes(target) & FileAttributes.ReadOnly) != 0 && !force)
        {
            cmdlet.Fail(errorPrefix + "FileReadOnly", ErrorCategory.PermissionDenied, $"'{target}' is read-only. Use -Force to replace it anyway.", target);
        }

        return target;
    }
}
