#Requires -Version 7.0
# Get/Set-ConfluenceAuditRetention on Confluence Data Center (the emulator's Data Center mode): retention as a period.
# Expected results come from the emulator in one direct request (raw JSON, timestamps kept as text), so the module is
# never checked against itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'DataCenter.Support.ps1')
}

AfterAll {
    Close-DataCenterTest
}

Describe 'Retention on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'reads the period <Json> as <Number> <Units>' -ForEach @(
        @{ Json = '{"period":{"months":3}}'; Number = 3; Units = 'Months'; Years = 0; Months = 3; Days = 0 }
        @{ Json = '{"period":{"years":1,"months":6}}'; Number = 18; Units = 'Months'; Years = 1; Months = 6; Days = 0 }
        @{ Json = '{"period":{"years":2}}'; Number = 2; Units = 'Years'; Years = 2; Months = 0; Days = 0 }
        @{ Json = '{"period":{"years":1,"days":10}}'; Number = 375; Units = 'Days'; Years = 1; Months = 0; Days = 10 }
    ) {
        Invoke-RestMethod -Method Put -Uri "$($script:Dc.BaseUri)$script:RetentionPath" -Headers $script:XsrfHeader -ContentType 'application/json' -Body $Json | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc

        $retention = Get-ConfluenceAuditRetention

        $retention | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        $retention.Number | Should -Be $Number
        "$($retention.Units)" | Should -Be $Units
        $retention.Period.Years | Should -Be $Years
        $retention.Period.Months | Should -Be $Months
        $retention.Period.Days | Should -Be $Days
        (Get-ApiRequest $script:Dc).Path | Should -Be "/confluence$script:RetentionPath"
    }

    It 'sets -Number <Number> -Unit <Unit> as the period {years:<Years>, months:<Months>, days:<Days>} with X-Atlassian-Token' -ForEach @(
        @{ Number = 45; Unit = 'Days'; Years = 0; Months = 0; Days = 45 }
        @{ Number = 2; Unit = 'Weeks'; Years = 0; Months = 0; Days = 14 }
        @{ Number = 4; Unit = 'Months'; Years = 0; Months = 4; Days = 0 }
        @{ Number = 3; Unit = 'Years'; Years = 3; Months = 0; Days = 0 }
    ) {
        $updated = Set-ConfluenceAuditRetention -Number $Number -Unit $Unit -Force -Confirm:$false -PassThru

        $put = @(Get-ApiRequest $script:Dc | Where-Object Method -EQ 'PUT')
        $put.Count | Should -Be 1
        $put[0].Path | Should -Be "/confluence$script:RetentionPath"
        $put[0].Status | Should -Be 200
        $put[0].AtlassianToken | Should -Be 'no-check'
        $period = ($put[0].Body | ConvertFrom-Json).period
        [int](Get-Prop $period 'years') | Should -Be $Years
        [int](Get-Prop $period 'months') | Should -Be $Months
        [int](Get-Prop $period 'days') | Should -Be $Days
        $updated.Period.Years | Should -Be $Years
        $updated.Period.Months | Should -Be $Months
        $updated.Period.Days | Should -Be $Days
    }

    It 'refuses -Unit Hours with a clear error before any request' {
        $err = Invoke-Captured { Set-ConfluenceAuditRetention -Number 12 -Unit Hours -Force -Confirm:$false -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'RetentionUnitNotSupported*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ApiRequest $script:Dc).Count | Should -Be 0
    }
}
