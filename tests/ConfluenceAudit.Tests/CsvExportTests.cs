using System.Management.Automation;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Records piped to ConvertTo-Csv (what Export-Csv writes) read well: no type names, no System.Object[].</summary>
public sealed class CsvExportTests : IDisposable
{
    private const string Record =
        "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\",\"operations\":null,\"accountId\":\"5b10ac8d\"}," +
        "\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500125,\"summary\":\"Space permission added\",\"description\":\"\",\"category\":\"Permissions\"," +
        "\"sysAdmin\":false,\"superAdmin\":false,\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"}," +
        "\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"},{\"name\":\"Group\",\"oldValue\":\"\",\"newValue\":\"engineers\"}]," +
        "\"associatedObjects\":[{\"name\":\"jdoe\",\"objectType\":\"User\"},{\"name\":\"ENG\",\"objectType\":\"Space\"}]}";

    private const string SystemRecord =
        "{\"author\":{\"type\":\"user\",\"displayName\":\"System\",\"operations\":null},\"remoteAddress\":\"\",\"creationDate\":1772446400000," +
        "\"summary\":\"Audit log cleaned\",\"category\":\"Auditing\",\"affectedObject\":{\"name\":\"\",\"objectType\":\"\"},\"changedValues\":[],\"associatedObjects\":[]}";

    private readonly PowerShellHost host = new();
    private readonly List<string> lines;
    private readonly List<PSObject> rows;

    public CsvExportTests()
    {
        var handler = FakeHttpHandler.Script(
            () => Responses.Json(Responses.Page(new[] { Record, SystemRecord, "{\"creationDate\":1772446300000}" })),
            () => Responses.Json(Responses.Page(Array.Empty<string>())));
        using var connection = PowerShellHost.Connect(handler);
        host.SetVariable("c", connection);
        var result = host.Run("$global:csv = Get-ConfluenceAuditRecord -Connection $c | ConvertTo-Csv; $global:csv | ConvertFrom-Csv");
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        rows = result.Output.ToList();
        var csv = host.GetVariable("csv");
        lines = ((object[])(csv is PSObject wrapped ? wrapped.BaseObject : csv)!).Select(o => o.ToString()!).ToList();
    }

    public void Dispose() => host.Dispose();

    private string Cell(int row, string column) => (string)rows[row].Properties[column].Value;

    [Fact]
    public void Has_A_Header_And_One_Line_Per_Record()
    {
        Assert.Equal(4, lines.Count);
        Assert.Equal(3, rows.Count);
        foreach (var column in new[] { "CreationDate", "Category", "Summary", "Author", "AffectedObject", "ChangedValues", "AssociatedObjects" })
        {
            Assert.Contains("\"" + column + "\"", lines[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_Cell_Holds_A_Type_Name_Or_Object_Array()
    {
        foreach (var line in lines)
        {
            Assert.DoesNotContain("System.Object[]", line, StringComparison.Ordinal);
            Assert.DoesNotContain("ConfluenceAudit.", line, StringComparison.Ordinal);
            Assert.DoesNotContain("System.Collections", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Author_Is_The_Display_Name()
    {
        Assert.Equal("Ada Admin", Cell(0, "Author"));
        Assert.Equal("System", Cell(1, "Author"));
        Assert.Equal(string.Empty, Cell(2, "Author"));
    }

    [Fact]
    public void AffectedObject_Is_Name_And_Type()
    {
        Assert.Equal("ENG (Space)", Cell(0, "AffectedObject"));
        Assert.Equal(string.Empty, Cell(1, "AffectedObject"));
    }

    [Fact]
    public void ChangedValues_And_AssociatedObjects_Are_Readable_Lists()
    {
        Assert.Equal("Permission: view -> edit; Group:  -> engineers", Cell(0, "ChangedValues"));
        Assert.Equal("jdoe (User); ENG (Space)", Cell(0, "AssociatedObjects"));
        Assert.Equal(string.Empty, Cell(1, "ChangedValues"));
        Assert.Equal(string.Empty, Cell(2, "AssociatedObjects"));
    }

    [Fact]
    public void CreationDate_Is_A_Date_Not_An_Epoch_Number()
    {
        var cell = Cell(0, "CreationDate");
        Assert.DoesNotContain("1772446500125", cell, StringComparison.Ordinal);
        Assert.Equal(1772446500000L, DateTimeOffset.Parse(cell, System.Globalization.CultureInfo.CurrentCulture).ToUnixTimeMilliseconds());
    }
}
