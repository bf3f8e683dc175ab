#Requires -Version 7.0
# Get-ConfluenceAuditRecord against the emulator: paging (also under a server cap), -First/-Skip, the date range,
# -Last/-Unit, -SearchString and Export-Csv. Expected results come from a reference listing fetched from the
# emulator in one direct request, so the module's paging is never checked against itself.

BeforeAll {
    $script:Emulator = $null
    $script:CappedEmulator = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    # Two emulators with byte-identical records (same seed, same anchor); the second caps pages at 250 records.
    $anchor = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $common = '--records', '2500', '--seed', '7', '--anchor-ms', "$anchor"
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList $common
    $script:CappedEmulator = Start-ConfluenceAuditEmulator -ArgumentList ($common + @('--max-limit', '250'))

    # Page by page, so the request log reads in listing order; concurrent listings are compared with it below.
    Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaxConcurrency 1
    $script:Reference = Get-ReferenceRecord $script:Emulator
    $script:ReferenceKeys = @($script:Reference | Get-WireRecordKey)

    function Get-ReferenceKeys([scriptblock] $Where) {
        @($script:Reference | Where-Object $Where | Get-WireRecordKey)
    }
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:CappedEmulator) { if ($emulator) { $emulator | Stop-ConfluenceAuditEmulator } }
}

Describe 'Paging' {
    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:Emulator; Clear-ConfluenceAuditEmulatorRequest $script:CappedEmulator }
    AfterEach { Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ maxLimit = 1000; sizeIsTotal = $false } | Out-Null }

    It 'lists all 2500 records exactly once, newest first, in pages of -PageSize 1000' {
        $records = @(Get-ConfluenceAuditRecord -PageSize 1000)

        $records.Count | Should -Be (Get-ConfluenceAuditEmulatorRecordCount $script:Emulator)
        $records.Count | Should -Be 2500
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys | Should -BeNullOrEmpty
        for ($i = 1; $i -lt $records.Count; $i++) {
            if ($records[$i].CreationDate -gt $records[$i - 1].CreationDate) { throw "Record $i is newer than record $($i - 1): not newest first." }
        }

        $requests = Get-ApiRequest $script:Emulator
        $requests.Path | Sort-Object -Unique | Should -Be '/wiki/rest/api/audit'
        $requests.Status | Sort-Object -Unique | Should -Be 200
        $requests | ForEach-Object { [int]$_.Query['limit'] | Should -BeLessOrEqual 1000 }
        Test-PagingCoverage -Requests $requests -Total 2500 | Should -BeNullOrEmpty
        $requests.Count | Should -BeLessOrEqual 6 -Because 'pages of 1000 need 3 requests, plus at most a few to confirm the end'
    }

    It 'keeps asking from where the last page ended when the server caps pages at 250 (--max-limit 250)' {
        $capped = Connect-ConfluenceAudit -BaseUri $script:CappedEmulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaxConcurrency 1 -PassThru
        try {
            Clear-ConfluenceAuditEmulatorRequest $script:CappedEmulator
            $records = @(Get-ConfluenceAuditRecord -Connection $capped -PageSize 1000)

            $records.Count | Should -Be (Get-ConfluenceAuditEmulatorRecordCount $script:CappedEmulator)
            Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys | Should -BeNullOrEmpty
            $requests = Get-ApiRequest $script:CappedEmulator
            $requests[0].Query['limit'] | Should -Be '1000' -Because 'the module asks for its page size and lets the server cap it'
            $requests | Select-Object -Skip 1 | ForEach-Object { $_.Query['limit'] } | Sort-Object -Unique | Should -Be '250' -Because 'the cap the server states is asked for from then on'
            Test-PagingCoverage -Requests $requests -Total 2500 -Cap 250 | Should -BeNullOrEmpty
            $requests.Count | Should -BeGreaterOrEqual 11 -Because '2500 records in pages of at most 250'
            $requests.Count | Should -BeLessOrEqual 14
        }
        finally {
            $capped | Disconnect-ConfluenceAudit
            Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaxConcurrency 1
        }
    }

    It 'returns every record exactly once while <Arriving> new records push pages of 250 along (-Last/-Unit)' -ForEach @(
        @{ Arriving = 100 }
        @{ Arriving = 300 }
    ) {
        # A busy site: records arrive (stamped "now", so inside -Last 1 -Unit Years) at the head of the list while the
        # listing runs, and every later offset moves by that many. The seeded records must still come out exactly
        # once and in order, whether the shift is smaller or larger than a page.
        Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ latencyMs = 100 } | Out-Null
        $job = Start-ThreadJob -ArgumentList $script:Emulator.Url, $Arriving -ScriptBlock {
            # Once the listing has read three pages, the new records arrive.
            param($url, $count)
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 20
                $seen = @(Invoke-RestMethod -Uri "$url/__emulator/requests" | ForEach-Object { $_ }).Count
            } while ($seen -lt 3 -and [DateTime]::UtcNow -lt $deadline)
            $result = Invoke-RestMethod -Method Post -Uri "$url/__emulator/records?count=$count"
            [pscustomobject]@{ Total = $result.total; RequestsBefore = $seen }
        }
        try {
            $records = @(Get-ConfluenceAuditRecord -Last 1 -Unit Years -PageSize 250)
            $inserted = $job | Wait-Job -Timeout 30 | Receive-Job
        }
        finally {
            $job | Remove-Job -Force
            $requests = Get-ApiRequest $script:Emulator
            Reset-ConfluenceAuditEmulator $script:Emulator   # seeded records only, settings from the command line
        }

        $inserted.Total | Should -Be (2500 + $Arriving)
        $requests.Count | Should -BeGreaterThan ($inserted.RequestsBefore + 2) -Because 'the records must arrive in the middle of the listing'
        $seeded = [System.Collections.Generic.HashSet[string]]::new([string[]]$script:ReferenceKeys)
        $keys = @($records | Get-RecordKey)
        # The seeded data holds a few exact twins (audit records have no id), so compare with the reference's counts.
        $expectedCount = @{}
        foreach ($key in $script:ReferenceKeys) { $expectedCount[$key] = 1 + [int]$expectedCount[$key] }
        $duplicates = @($keys | Group-Object | Where-Object { $_.Count -gt [Math]::Max(1, [int]$expectedCount[$_.Name]) } | ForEach-Object { "$($_.Count)x $($_.Name)" })
        $duplicates | Select-Object -First 3 | Should -BeNullOrEmpty -Because "$($duplicates.Count) records came out more often than they exist"
        Compare-Sequence -Actual @($keys | Where-Object { $seeded.Contains($_) }) -Expected $script:ReferenceKeys | Should -BeNullOrEmpty
    }

    It 'returns with requests in flight (-MaxConcurrency <Concurrency>) exactly what a page-by-page listing returns' -ForEach @(
        @{ Concurrency = 4; Emulator = 'plain' }
        @{ Concurrency = 8; Emulator = 'capped' }
    ) {
        $target = if ($Emulator -eq 'capped') { $script:CappedEmulator } else { $script:Emulator }
        $concurrent = Connect-ConfluenceAudit -BaseUri $target.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaxConcurrency $Concurrency -PassThru
        try {
            Clear-ConfluenceAuditEmulatorRequest $target
            $records = @(Get-ConfluenceAuditRecord -Connection $concurrent -PageSize 500)
            $requests = Get-ApiRequest $target
        }
        finally {
            $concurrent | Disconnect-ConfluenceAudit
            Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaxConcurrency 1
        }

        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys | Should -BeNullOrEmpty
        @($requests | Where-Object { [int]$_.Query['start'] -ge 2500 }).Count | Should -BeLessOrEqual $Concurrency -Because 'no more than the concurrency goes past the end'
    }

    It 'is not misled when "size" reports the total instead of the page count' {
        Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ sizeIsTotal = $true; maxLimit = 400 } | Out-Null

        $records = @(Get-ConfluenceAuditRecord -PageSize 1000)

        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys | Should -BeNullOrEmpty
        Test-PagingCoverage -Requests (Get-ApiRequest $script:Emulator) -Total 2500 -Cap 400 | Should -BeNullOrEmpty
    }
}

Describe '-First and -Skip' {
    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:Emulator }

    It '-First 5 returns the 5 newest records with a single request for limit=5' {
        $records = @(Get-ConfluenceAuditRecord -First 5)

        $records.Count | Should -Be 5
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys[0..4] | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator
        $requests.Count | Should -Be 1
        $requests[0].Query['limit'] | Should -Be '5'
        $requests[0].Query['start'] | Should -Be '0'
    }

    It '-Skip 10 -First 3 returns items 10..12 of the full list, asking for exactly those' {
        $records = @(Get-ConfluenceAuditRecord -Skip 10 -First 3)

        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys[10..12] | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator
        $requests.Count | Should -Be 1
        $requests[0].Query['start'] | Should -Be '10'
        $requests[0].Query['limit'] | Should -Be '3'
    }

    It '-First 1500 never asks for records past the 1500th' {
        $records = @(Get-ConfluenceAuditRecord -First 1500 -PageSize 1000)

        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys[0..1499] | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator
        $requests.Count | Should -Be 2
        $requests | ForEach-Object { [int]$_.Query['start'] + [int]$_.Query['limit'] | Should -BeLessOrEqual 1500 }
    }

    It '-Skip 2495 returns the 5 oldest records' {
        $records = @(Get-ConfluenceAuditRecord -Skip 2495)

        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys[2495..2499] | Should -BeNullOrEmpty
    }
}

Describe 'Date range (-StartDate / -EndDate)' {
    BeforeAll {
        # Bounds on existing records' exact milliseconds, so inclusiveness and millisecond precision both matter.
        $script:StartMs = [long]$script:Reference[1600].creationDate
        $script:EndMs = [long]$script:Reference[400].creationDate
        $script:Start = [DateTimeOffset]::FromUnixTimeMilliseconds($script:StartMs)
        $script:End = [DateTimeOffset]::FromUnixTimeMilliseconds($script:EndMs)
    }

    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:Emulator }

    It 'returns exactly the records from -StartDate to -EndDate (both inclusive), sending epoch milliseconds' {
        $records = @(Get-ConfluenceAuditRecord -StartDate $script:Start.UtcDateTime -EndDate $script:End.UtcDateTime)

        $records.Count | Should -BeGreaterThan 1000
        @($records | Where-Object { $_.CreationDate -lt $script:Start -or $_.CreationDate -gt $script:End }) | Should -BeNullOrEmpty
        $expected = Get-ReferenceKeys { [long]$_.creationDate -ge $script:StartMs -and [long]$_.creationDate -le $script:EndMs }
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $expected | Should -BeNullOrEmpty

        $requests = Get-ApiRequest $script:Emulator
        $requests | ForEach-Object {
            $_.Path | Should -Be '/wiki/rest/api/audit'
            $_.Query['startDate'] | Should -Be "$script:StartMs"
            $_.Query['endDate'] | Should -Be "$script:EndMs"
        }
    }

    It 'reads a local or unspecified DateTime as local time' {
        $local = $script:Start.LocalDateTime
        $unspecified = [datetime]::SpecifyKind($script:End.LocalDateTime, 'Unspecified')

        $records = @(Get-ConfluenceAuditRecord -StartDate $local -EndDate $unspecified -First 1)

        $records.Count | Should -Be 1
        $query = (Get-ApiRequest $script:Emulator)[0].Query
        $query['startDate'] | Should -Be "$script:StartMs"
        $query['endDate'] | Should -Be "$script:EndMs"
    }

    It 'with only -StartDate returns everything from then on' {
        $beforeMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $records = @(Get-ConfluenceAuditRecord -StartDate $script:End.UtcDateTime)

        $expected = Get-ReferenceKeys { [long]$_.creationDate -ge $script:EndMs }
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $expected | Should -BeNullOrEmpty
        foreach ($request in Get-ApiRequest $script:Emulator) {
            $request.Query['startDate'] | Should -Be "$script:EndMs"
            # The module may pin the end to when the command started (so arriving records cannot shift the pages),
            # but never earlier than that.
            if ($request.Query.ContainsKey('endDate')) { [long]$request.Query['endDate'] | Should -BeGreaterOrEqual $beforeMs }
        }
    }

    It 'refuses -StartDate after -EndDate with InvalidDateRange before sending anything' {
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -StartDate $script:End.UtcDateTime -EndDate $script:Start.UtcDateTime }

        $err.FullyQualifiedErrorId | Should -Be 'InvalidDateRange,ConfluenceAudit.Commands.GetConfluenceAuditRecordCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ApiRequest $script:Emulator).Count | Should -Be 0
    }
}

Describe 'Period back from now (-Last / -Unit)' {
    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:Emulator }

    It '-Last <Number> -Unit <Unit> asks /audit/since for units=<ApiUnit> and returns the records of that period' -ForEach @(
        @{ Number = 7; Unit = 'Days'; ApiUnit = 'DAYS'; Span = [TimeSpan]::FromDays(7) }
        @{ Number = 2; Unit = 'HALF_DAYS'; ApiUnit = 'HALF_DAYS'; Span = [TimeSpan]::FromHours(24) }
        @{ Number = 3; Unit = 'HalfDays'; ApiUnit = 'HALF_DAYS'; Span = [TimeSpan]::FromHours(36) }
        @{ Number = 2; Unit = 'weeks'; ApiUnit = 'WEEKS'; Span = [TimeSpan]::FromDays(14) }
    ) {
        $before = [DateTimeOffset]::UtcNow
        $records = @(Get-ConfluenceAuditRecord -Last $Number -Unit $Unit)
        $after = [DateTimeOffset]::UtcNow

        # The emulator takes "now" while answering: between $before and $after.
        $mostMs = ($before - $Span).ToUnixTimeMilliseconds()
        $fewestMs = ($after - $Span).ToUnixTimeMilliseconds()
        $most = @($script:Reference | Where-Object { [long]$_.creationDate -ge $mostMs }).Count
        $fewest = @($script:Reference | Where-Object { [long]$_.creationDate -ge $fewestMs }).Count
        $records.Count | Should -BeGreaterThan 0
        $records.Count | Should -BeGreaterOrEqual $fewest
        $records.Count | Should -BeLessOrEqual $most
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $script:ReferenceKeys[0..($records.Count - 1)] | Should -BeNullOrEmpty
        $records[-1].CreationDate | Should -BeGreaterOrEqual ($before - $Span)

        $requests = Get-ApiRequest $script:Emulator
        $requests[0].Path | Should -Be '/wiki/rest/api/audit/since'
        $requests[0].Query['number'] | Should -Be "$Number"
        $requests[0].Query['units'] | Should -BeExactly $ApiUnit
        $requests[0].Query.ContainsKey('startDate') | Should -BeFalse
    }

    It 'refuses an unknown unit at parameter binding, before any request' {
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Last 1 -Unit Fortnights }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Match '^(CannotConvertArgument\w*|ParameterArgumentTransformationError),'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'HalfDays' -Because 'the message lists the valid units'
        @(Get-ApiRequest $script:Emulator).Count | Should -Be 0
    }
}

Describe '-SearchString' {
    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:Emulator }

    It 'returns exactly the records whose text contains "<Search>", sending it URL-encoded' -ForEach @(
        @{ Search = 'Space permission' }
        @{ Search = 'zoë' }
        @{ Search = 'Smith, John' }
    ) {
        $records = @(Get-ConfluenceAuditRecord -SearchString $Search)

        $expected = Get-ReferenceKeys { Test-WireRecordMatch -Wire $_ -Search $Search }
        $expected.Count | Should -BeGreaterThan 0 -Because 'the seeded data contains the text'
        $expected.Count | Should -BeLessThan 2500
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $expected | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator
        $requests | ForEach-Object { $_.Query['searchString'] | Should -BeExactly $Search }
    }

    It 'combines with a date range and with -Last/-Unit' {
        $startMs = [long]$script:Reference[1200].creationDate
        $inRange = @(Get-ConfluenceAuditRecord -SearchString 'Permissions' -StartDate ([DateTimeOffset]::FromUnixTimeMilliseconds($startMs).UtcDateTime))
        $expected = Get-ReferenceKeys { [long]$_.creationDate -ge $startMs -and (Test-WireRecordMatch -Wire $_ -Search 'Permissions') }
        Compare-Sequence -Actual @($inRange | Get-RecordKey) -Expected $expected | Should -BeNullOrEmpty

        $recent = @(Get-ConfluenceAuditRecord -SearchString 'Permissions' -Last 30 -Unit Days)
        $recent | ForEach-Object { $_.CreationDate | Should -BeGreaterOrEqual ([DateTimeOffset]::UtcNow.AddDays(-30).AddMinutes(-1)) }
        $recent.Count | Should -BeGreaterThan 0
        $recent.Count | Should -BeLessThan $inRange.Count
        (Get-ApiRequest $script:Emulator)[-1].Query['searchString'] | Should -Be 'Permissions'
    }
}

Describe 'Export-Csv of the records' {
    BeforeAll {
        $script:CsvFolder = Join-Path ([IO.Path]::GetTempPath()) "ConfluenceAudit.Pester.$PID.$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $script:CsvFolder | Out-Null
    }

    AfterAll {
        Remove-Item -LiteralPath $script:CsvFolder -Recurse -Force -ErrorAction Ignore
        Reset-ConfluenceAuditEmulator $script:Emulator
    }

    It 'writes one readable row per record: no type names, no System.Object[], Author as the display name' {
        $records = @(Get-ConfluenceAuditRecord -First 400)
        $path = Join-Path $script:CsvFolder 'records.csv'
        $records | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding utf8

        $raw = Get-Content -LiteralPath $path -Raw
        $raw | Should -Not -Match 'System\.Object\[\]'
        $raw | Should -Not -Match 'ConfluenceAudit\.(Models|Http)\.'
        $raw | Should -Not -Match 'System\.Collections'
        $raw | Should -Not -Match 'ReadOnlyCollection'
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.Count | Should -Be $records.Count
        foreach ($column in 'CreationDate', 'Category', 'Summary', 'Description', 'Author', 'RemoteAddress', 'AffectedObject', 'ChangedValues', 'AssociatedObjects') {
            $rows[0].psobject.Properties.Name | Should -Contain $column
        }
        # One pass collecting every mismatch (a Should per cell would make this test slow).
        $problems = [System.Collections.Generic.List[string]]::new()
        for ($i = 0; $i -lt $records.Count; $i++) {
            $record = $records[$i]; $row = $rows[$i]
            $expected = [ordered]@{
                Author            = $record.Author.DisplayName
                Summary           = $record.Summary
                Description       = $record.Description
                AffectedObject    = $record.AffectedObject.ToString()
                ChangedValues     = $record.ChangedValues.ToString()
                AssociatedObjects = $record.AssociatedObjects.ToString()
            }
            foreach ($column in $expected.Keys) {
                if ($row.$column -cne $expected[$column]) { $problems.Add("row $i $($column): '$($row.$column)' instead of '$($expected[$column])'") }
            }
            foreach ($changed in $record.ChangedValues) {
                if (-not $row.ChangedValues.Contains($changed.Name)) { $problems.Add("row $i ChangedValues lacks '$($changed.Name)'") }
            }
            foreach ($associated in $record.AssociatedObjects) {
                if (-not $row.AssociatedObjects.Contains($associated.Name)) { $problems.Add("row $i AssociatedObjects lacks '$($associated.Name)'") }
            }
            if ([DateTimeOffset]::Parse($row.CreationDate).ToUnixTimeSeconds() -ne $record.CreationDate.ToUnixTimeSeconds()) {
                $problems.Add("row $i CreationDate '$($row.CreationDate)' is not $($record.CreationDate)")
            }
        }
        $problems | Should -BeNullOrEmpty
        @($rows | Where-Object { $_.ChangedValues }).Count | Should -BeGreaterThan 0 -Because 'the sample must exercise the list columns'
    }

    It 'round-trips a record with commas, quotes and line breaks through Import-Csv' {
        $marker = 'PesterCsv' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $messy = [ordered]@{
            author            = @{ type = 'user'; displayName = 'Smith, "JJ" John' }
            remoteAddress     = '203.0.113.77'
            summary           = "$marker said ""hello"", twice"
            description       = "Line one, with a comma`r`nLine two with ""quotes""`nLine three; end"
            category          = 'Pester, tests'
            sysAdmin          = $true
            affectedObject    = @{ name = 'Space, "quoted"'; objectType = 'Space' }
            changedValues     = @(@{ name = 'Title'; oldValue = 'a, b'; newValue = """c""`nd" })
            associatedObjects = @(@{ name = 'x,y'; objectType = 'Group' }, @{ name = 'plain'; objectType = 'User' })
        }
        Invoke-RestMethod -Uri "$($script:Emulator.BaseUri)/rest/api/audit" -Method Post -Headers (Get-AdminAuthorizationHeader) `
            -ContentType 'application/json' -Body ($messy | ConvertTo-Json -Depth 5) | Out-Null

        $record = @(Get-ConfluenceAuditRecord -SearchString $marker)
        $record.Count | Should -Be 1
        $record = $record[0]
        $record.Description | Should -BeExactly $messy.description
        $record.Author.DisplayName | Should -BeExactly 'Smith, "JJ" John'

        $path = Join-Path $script:CsvFolder 'messy.csv'
        $record | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding utf8
        $rows = @(Import-Csv -LiteralPath $path)

        $rows.Count | Should -Be 1
        $rows[0].Summary | Should -BeExactly $messy.summary
        $rows[0].Description | Should -BeExactly $messy.description
        $rows[0].Category | Should -BeExactly 'Pester, tests'
        $rows[0].Author | Should -BeExactly 'Smith, "JJ" John'
        $rows[0].RemoteAddress | Should -BeExactly '203.0.113.77'
        $rows[0].SysAdmin | Should -Be 'True'
        $rows[0].AffectedObject | Should -BeExactly ($record.AffectedObject.ToString())
        $rows[0].AffectedObject | Should -BeLike '*Space, "quoted"*'
        $rows[0].ChangedValues | Should -BeExactly ($record.ChangedValues.ToString())
        $rows[0].ChangedValues | Should -BeLike "*a, b*"
        $rows[0].AssociatedObjects | Should -BeExactly ($record.AssociatedObjects.ToString())
        $rows[0].AssociatedObjects | Should -BeLike '*x,y*plain*'
    }
}
