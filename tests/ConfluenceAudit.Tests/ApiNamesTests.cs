using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Tests;

public class ApiNamesTests
{
    [Theory]
    [InlineData(AuditTimeUnit.Nanos, "NANOS")]
    [InlineData(AuditTimeUnit.Micros, "MICROS")]
    [InlineData(AuditTimeUnit.Millis, "MILLIS")]
    [InlineData(AuditTimeUnit.Seconds, "SECONDS")]
    [InlineData(AuditTimeUnit.Minutes, "MINUTES")]
    [InlineData(AuditTimeUnit.Hours, "HOURS")]
    [InlineData(AuditTimeUnit.HalfDays, "HALF_DAYS")]
    [InlineData(AuditTimeUnit.Days, "DAYS")]
    [InlineData(AuditTimeUnit.Weeks, "WEEKS")]
    [InlineData(AuditTimeUnit.Months, "MONTHS")]
    [InlineData(AuditTimeUnit.Years, "YEARS")]
    [InlineData(AuditTimeUnit.Decades, "DECADES")]
    [InlineData(AuditTimeUnit.Centuries, "CENTURIES")]
    public void Every_Unit_Has_The_Api_Spelling_And_Parses_Back(AuditTimeUnit unit, string apiName)
    {
        Assert.Equal(apiName, ApiNames.ToApiName(unit));
        Assert.True(ApiNames.TryParse(typeof(AuditTimeUnit), apiName, out var parsed));
        Assert.Equal(unit, parsed);
    }

    [Theory]
    [InlineData("HALF_DAYS")]
    [InlineData("half_days")]
    [InlineData("HalfDays")]
    [InlineData("halfdays")]
    [InlineData(" HALF_DAYS ")]
    public void Spellings_Of_HalfDays_Parse(string text)
    {
        Assert.True(ApiNames.TryParse(typeof(AuditTimeUnit), text, out var parsed));
        Assert.Equal(AuditTimeUnit.HalfDays, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("FORTNIGHTS")]
    [InlineData("MILLENNIA")]
    public void Unknown_Units_Do_Not_Parse(string? text)
    {
        Assert.False(ApiNames.TryParse(typeof(AuditTimeUnit), text, out _));
    }
}
