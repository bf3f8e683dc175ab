namespace ConfluenceAudit.Emulator.Http;

/// <summary>RFC 4180 CSV: fields separated by commas, rows ended by CRLF, a field quoted (with its
/// quotes doubled) when it holds a comma, a double quote, CR or LF.</summary>
internal sealed class CsvWriter(TextWriter output)
{
    private static readonly char[] NeedsQuoting = [',', '"', '\r', '\n'];
    private bool _rowStarted;

    public void Field(string? value)
    {
        if (_rowStarted)
        {
            output.Write(',');
        }

        _rowStarted = true;
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.IndexOfAny(NeedsQuoting) < 0)
        {
            output.Write(value);
            return;
        }

        output.Write('"');
        output.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        output.Write('"');
    }

    public void EndRow()
    {
        output.Write("\r\n");
        _rowStarted = false;
    }
}
