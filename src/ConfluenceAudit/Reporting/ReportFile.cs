using System;
using System.Globalization;
using System.IO;
using System.Text;
using ConfluenceAudit.Files;

namespace ConfluenceAudit.Reporting;

/// <summary>Writes a report to a file that appears whole or not at all: written beside the target, then moved into place.</summary>
internal static class ReportFile
{
    public static void WriteHtml(AuditReport report, ReportContext context, string destination, bool replaceReadOnly)
    {
        using var pending = PendingFile.Beside(destination, hidden: true);
        using (var writer = new InvariantWriter(pending.Stream))
        {
            HtmlReportWriter.Write(writer, report, context);
        }

        pending.Commit(replaceReadOnly);
    }

    /// <summary>UTF-8 without a byte order mark, numbers formatted the same in every culture; leaves the stream open for the commit.</summary>
    private sealed class InvariantWriter : StreamWriter
    {
        public InvariantWriter(Stream stream)
            : base(stream, new UTF8Encoding(false), 65536, leaveOpen: true)
        {
            NewLine = "\n";
        }

        public override IFormatProvider FormatProvider => CultureInfo.InvariantCulture;
    }
}
