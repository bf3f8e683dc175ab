#Requires -Version 7.0
# Get-ConfluenceAuditRetention and Set-ConfluenceAuditRetention against the emulator: the requests they send (checked
# on the emulator's request log), the retention limits, confirmation before shortening, and copying between two sites.

BeforeAll {
    $script:Emulator = $null
    $script:Other = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    # A: seeded records, retention 3 MONTHS (the default). B: empty, retention 2 WEEKS; the target of copies.
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '300', '--seed', '11'
    $script:Other = Start-ConfluenceAuditEmulator -ArgumentList '--records', '0', '--retention-number', '2', '--retention-units', 'WEEKS'
    $credential = Get-ConfluenceAuditEmulatorCredential
    $script:B = Connect-ConfluenceAudit -BaseUri $script:Other.BaseUri -Credential $credential -PassThru
    $script:A = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential $credential -PassThru

    $script:SetRetentionId = 'ConfluenceAudit.Commands.SetConfluenceAuditRetentionCommand'
}

AfterAll {
    foreach ($connection in $script:A, $script:B) { if ($connection) { $connection | Disconnect-ConfluenceAudit } }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:Other) { if ($emulator) { $emulator | Stop-ConfluenceAuditEmulator } }
}

Describe 'Get-ConfluenceAuditRetention / Set-ConfluenceAuditRetention' {
    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Emulator
        Reset-ConfluenceAuditEmulator $script:Other
        $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest
    }

    It 'Get returns Number and Units typed, and reads as "3 Months"' {
        $retention = Get-ConfluenceAuditRetention -Connection $script:A

        $retention | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        $retention.Number | Should -BeOfType ([int])
        $retention.Number | Should -Be 3
        $retention.Units | Should -BeOfType ([ConfluenceAudit.Models.RetentionUnit])
        $retention.Units | Should -Be ([ConfluenceAudit.Models.RetentionUnit]::Months)
        "$retention" | Should -BeExactly '3 Months'
        $requests = Get-ApiRequest $script:Emulator -Module
        $requests.Count | Should -Be 1
        $requests[0].Method | Should -Be 'GET'
        $requests[0].Path | Should -Be '/wiki/rest/api/audit/retention'
    }

    It 'Set <Parameters> sends a PUT of <Json>' -ForEach @(
        @{ Parameters = '-Number 6 -Unit Months'; Json = '{"number":6,"units":"MONTHS"}'; Readable = '6 Months' }
        @{ Parameters = '6 Months'; Json = '{"number":6,"units":"MONTHS"}'; Readable = '6 Months' }
        @{ Parameters = '-Number 60 -Unit HALF_DAYS'; Json = '{"number":60,"units":"HALF_DAYS"}'; Readable = '60 HalfDays' }
        @{ Parameters = '-Number 60 -Units HalfDays'; Json = '{"number":60,"units":"HALF_DAYS"}'; Readable = '60 HalfDays' }
        @{ Parameters = '-Number 20 -Units WEEKS'; Json = '{"number":20,"units":"WEEKS"}'; Readable = '20 Weeks' }
    ) {
        # From 2 WEEKS on B: every one of these is a lengthening, which needs no confirmation.
        $connection = $script:B
        $output = Invoke-Expression "Set-ConfluenceAuditRetention -Connection `$connection $Parameters"

        $output | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Other -Module
        $requests.Method | Should -Be @('GET', 'PUT')
        ConvertTo-CanonicalJson $requests[1].Body | Should -BeExactly (ConvertTo-CanonicalJson $Json)
        $requests[1].Status | Should -Be 200
        "$(Get-ConfluenceAuditRetention -Connection $script:B)" | Should -BeExactly $Readable
    }

    It 'refuses <Number> <Unit> with AuditRetentionTooLong before any request' -ForEach @(
        @{ Number = 13; Unit = 'Months' }
        @{ Number = 53; Unit = 'Weeks' }
        @{ Number = 366; Unit = 'Days' }
        @{ Number = 2; Unit = 'Years' }
        @{ Number = 1; Unit = 'Decades' }
        @{ Number = 1; Unit = 'Forever' }
    ) {
        $err = Invoke-Captured { Set-ConfluenceAuditRetention -Connection $script:A -Number $Number -Unit $Unit -Force }

        $err.FullyQualifiedErrorId | Should -Be "AuditRetentionTooLong,$script:SetRetentionId"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match '1 year'
        $err.Exception.Message | Should -Match '12 Months'
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '3 Months'
    }

    It 'accepts exactly the maximum: <Number> <Unit>' -ForEach @(
        @{ Number = 12; Unit = 'Months'; Units = 'MONTHS' }
        @{ Number = 52; Unit = 'Weeks'; Units = 'WEEKS' }
        @{ Number = 365; Unit = 'Days'; Units = 'DAYS' }
        @{ Number = 1; Unit = 'Years'; Units = 'YEARS' }
    ) {
        $new = Set-ConfluenceAuditRetention -Connection $script:A -Number $Number -Unit $Unit -PassThru

        "$new" | Should -Be "$Number $Unit"
        $put = Get-ApiRequest $script:Emulator -Module -Method PUT
        $put.Count | Should -Be 1
        $put[0].Status | Should -Be 200
        ConvertTo-CanonicalJson $put[0].Body | Should -BeExactly (ConvertTo-CanonicalJson "{`"number`":$Number,`"units`":`"$Units`"}")
    }

    It 'refuses -Number <Number> at binding' -ForEach @(@{ Number = 0 }, @{ Number = -1 }) {
        $err = Invoke-Captured { Set-ConfluenceAuditRetention -Connection $script:A -Number $Number -Unit Months -Force }

        $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$script:SetRetentionId"
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
    }

    It '-WhatIf shows the current and the new value and sends no PUT' {
        $script = (Get-ChildConnectScript $script:Emulator) + "Set-ConfluenceAuditRetention -Connection `$c -Number 1 -Unit Years -WhatIf -PassThru"
        $child = Invoke-ChildPwsh -ImportModule -Script $script
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $whatIf = @($child.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 1 -Because $child.Output
        $whatIf[0] | Should -Match '3 Months'
        $whatIf[0] | Should -Match '1 Years'
        $whatIf[0] | Should -Match ([regex]::Escape($script:Emulator.BaseUri))
        (Get-ApiRequest $script:Emulator -Module | Where-Object Path -EQ '/wiki/rest/api/audit/retention').Method | Should -Be @('GET')

        # And in this session: the request log has the GET only.
        $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest
        $output = Set-ConfluenceAuditRetention -Connection $script:A -Number 1 -Unit Months -WhatIf -PassThru
        $output | Should -BeNullOrEmpty
        (Get-ApiRequest $script:Emulator -Module).Method | Should -Be @('GET')
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '3 Months'
    }

    It 'shortening (12 Months -> 1 Months) in a non-interactive session without -Force fails and sends no PUT' {
        Set-ConfluenceAuditRetention -Connection $script:A -Number 12 -Unit Months
        $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest
        $script = (Get-ChildConnectScript $script:Emulator) + "Set-ConfluenceAuditRetention -Connection `$c -Number 1 -Unit Months"

        $child = Invoke-ChildPwsh -ImportModule -Script $script

        $child.ExitCode | Should -Not -Be 0 -Because "it must not shorten silently: $($child.Output)"
        (Get-ApiRequest $script:Emulator -Module).Method | Should -Not -Contain 'PUT'
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '12 Months'
    }

    It 'shortening with <Switch> sends the PUT without asking' -ForEach @(
        @{ Switch = '-Force'; Splat = @{ Force = $true } }
        @{ Switch = '-Confirm:$false'; Splat = @{ Confirm = $false } }
    ) {
        Set-ConfluenceAuditRetention -Connection $script:A -Number 12 -Unit Months
        $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest

        Set-ConfluenceAuditRetention -Connection $script:A -Number 1 -Unit Months @Splat

        (Get-ApiRequest $script:Emulator -Module).Method | Should -Be @('GET', 'PUT')
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '1 Months'
    }

    It 'lengthening needs no confirmation, even in a non-interactive session' {
        $script = (Get-ChildConnectScript $script:Emulator) + "Set-ConfluenceAuditRetention -Connection `$c -Number 6 -Unit Months"

        $child = Invoke-ChildPwsh -ImportModule -Script $script

        $child.ExitCode | Should -Be 0 -Because $child.Output
        (Get-ApiRequest $script:Emulator -Module -Method PUT).Count | Should -Be 1
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '6 Months'
    }

    It '-PassThru writes the new value' {
        $new = Set-ConfluenceAuditRetention -Connection $script:A -Number 6 -Unit Months -PassThru

        $new | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        "$new" | Should -Be '6 Months'
        $new.Units | Should -Be ([ConfluenceAudit.Models.RetentionUnit]::Months)
    }

    It 'Get -Connection $a | Set -Connection $b -Force copies the setting between two sites' {
        Set-ConfluenceAuditRetention -Connection $script:A -Number 40 -Unit Days -Force
        $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest

        $copied = Get-ConfluenceAuditRetention -Connection $script:A | Set-ConfluenceAuditRetention -Connection $script:B -Force -PassThru

        "$copied" | Should -Be '40 Days'
        (Get-ApiRequest $script:Emulator -Module).Method | Should -Be @('GET')
        $onB = Get-ApiRequest $script:Other -Module
        $onB.Method | Should -Be @('GET', 'PUT')
        ConvertTo-CanonicalJson $onB[1].Body | Should -BeExactly (ConvertTo-CanonicalJson '{"number":40,"units":"DAYS"}')
        "$(Get-ConfluenceAuditRetention -Connection $script:B)" | Should -Be '40 Days'
        "$(Get-ConfluenceAuditRetention -Connection $script:A)" | Should -Be '40 Days'
    }
}
