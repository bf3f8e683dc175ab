using System.Globalization;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;
using ConfluenceAudit.Retention;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Tests;

/// <summary>The retention rules and the request body, without PowerShell.</summary>
public sealed class RetentionRulesTests
{
    [Theory]
    [InlineData(12, RetentionUnit.Months)]
    [InlineData(52, RetentionUnit.Weeks)]
    [InlineData(365, RetentionUnit.Days)]
    [InlineData(1, RetentionUnit.Years)]
    [InlineData(730, RetentionUnit.HalfDays)]
    [InlineData(8760, RetentionUnit.Hours)]
    [InlineData(1, RetentionUnit.Millis)]
    [InlineData(3, RetentionUnit.Months)]
    public void Periods_Up_To_One_Year_Are_Allowed(int number, RetentionUnit unit) =>
        Assert.True(RetentionRules.IsWithinOneYear(number, unit), $"{number} {unit}");

    [Theory]
    [InlineData(13, RetentionUnit.Months)]
    [InlineData(53, RetentionUnit.Weeks)]
    [InlineData(366, RetentionUnit.Days)]
    [InlineData(2, RetentionUnit.Years)]
    [InlineData(1, RetentionUnit.Decades)]
    [InlineData(1, RetentionUnit.Centuries)]
    [InlineData(1, RetentionUnit.Millennia)]
    [InlineData(1, RetentionUnit.Eras)]
    [InlineData(1, RetentionUnit.Forever)]
    [InlineData(int.MaxValue, RetentionUnit.Days)]
    [InlineData(732, RetentionUnit.HalfDays)]
    public void Periods_Over_One_Year_Are_Refused(int number, RetentionUnit unit) =>
        Assert.False(RetentionRules.IsWithinOneYear(number, unit), $"{number} {unit}");

    [Theory]
    [InlineData(12, RetentionUnit.Months, 1, RetentionUnit.Months, true)]
    [InlineData(1, RetentionUnit.Years, 364, RetentionUnit.Days, true)]
    [InlineData(3, RetentionUnit.Months, 1, RetentionUnit.Years, false)]
    [InlineData(1, RetentionUnit.Years, 12, RetentionUnit.Months, false)]
    [InlineData(2, RetentionUnit.Weeks, 14, RetentionUnit.Days, false)]
    [InlineData(1, RetentionUnit.Forever, 1, RetentionUnit.Years, true)]
    public void IsShorter_Compares_The_Lengths(int currentNumber, RetentionUnit currentUnit, int number, RetentionUnit unit, bool shorter)
    {
        var current = new ConfluenceAuditRetention(currentNumber, currentUnit, TestClients.CloudBase);

        Assert.Equal(shorter, RetentionRules.IsShorter(current, number, unit));
    }

    [Theory]
    [InlineData(3, RetentionUnit.Months, "{\"number\":3,\"units\":\"MONTHS\"}")]
    [InlineData(730, RetentionUnit.HalfDays, "{\"number\":730,\"units\":\"HALF_DAYS\"}")]
    [InlineData(1, RetentionUnit.Years, "{\"number\":1,\"units\":\"YEARS\"}")]
    public void The_Put_Body_Is_A_RetentionPeriod_In_The_Api_Spelling(int number, RetentionUnit unit, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(RequestBodies.Retention(number, unit)));

    [Fact]
    public void The_Readable_Form_Is_Number_And_Unit() =>
        Assert.Equal("730 HalfDays", new ConfluenceAuditRetention(730, RetentionUnit.HalfDays, TestClients.CloudBase).ToString());
}
