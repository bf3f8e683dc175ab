#Requires -Version 7.0
# Export-ConfluenceAudit on Confluence Data Center (the emulator's Data Center mode): the assembled CSV export.
# Expected results come from the emulator in one direct request (raw JSON, timestamps kept as text), so the module is
# never checked against itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'DataCenter.Support.ps1')
}

AfterAll {
    Close-DataCenterTest
}

Describe 'Export-ConfluenceAudit on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'assembles the capped CSV responses into one file: one header row, nothing lost or repeated, ending on a response with nothing new' {
        $path = Join-Path $TestDrive 'dc-export.csv'
        Export-ConfluenceAudit -Path $path

        $requests = Get-ApiRequest $script:Dc
        $to = Get-PinnedEnd $requests
        $rows = (Get-DcEntity -To $to).Count
        $requests | ForEach-Object { $_.Query['outputFormat'] | Should -Be 'csv'; $_.Path | Should -Be "/confluence$script:EventsPath" }
        # Responses of at most 100 rows each. Each response after the first starts at the last row written (the server
        # audits every read, and such an event may push the rows along), so the offsets move by what came less one,
        # and the export ends on a response that brings nothing after that row, never on a short one.
        $expectedOffsets = @(
            $o = 0
            while ($true) {
                $o
                $count = [Math]::Min(100, $rows - $o)
                if ($count -le 1) { break }
                $o += $count - 1
            })
        $rows | Should -BeGreaterThan 300
        Compare-Sequence -Actual @($requests | ForEach-Object { [int]$_.Query['offset'] }) -Expected $expectedOffsets | Should -BeNullOrEmpty

        $reference = Get-DcCsv -To $to
        $text = [System.IO.File]::ReadAllText($path)
        $header = ($reference -split "`r`n")[0]
        @([regex]::Matches($text, '(?m)^' + [regex]::Escape($header) + '\r?$')).Count | Should -Be 1 -Because 'the header row is written once'
        # An event the export's own first read added in the very millisecond the window ends is not the export's to
        # hold (it arrived after the command started); anything else must be there exactly once, in order.
        $expected = @($reference | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_ $to) })
        Compare-Sequence -Actual @(Import-Csv -LiteralPath $path | Get-CsvRowKey) -Expected @($expected | Get-CsvRowKey) | Should -BeNullOrEmpty
        if ($expected.Count -eq $rows) { $text | Should -BeExactly $reference -Because 'the assembled file is what one uncapped response holds' }
    }

    It 'repeats nothing when the server''s clock runs behind this machine''s (each read''s own audit event lands inside the window)' {
        # Every read of the log adds an event stamped with the server's time. With that clock 1.5 s behind, the event of
        # each CSV response falls inside the window pinned by this machine's clock, at its newest end: paging by
        # offset then moves by one row per response, a row of each page boundary would come twice, and the export
        # would not end before the server's clock passes the window's end (one request per row meanwhile).
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ clockOffsetMs = -1500 } | Out-Null
        $path = Join-Path $TestDrive 'dc-export-skew.csv'
        Export-ConfluenceAudit -Path $path

        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -BeGreaterOrEqual 7
        $reference = Get-DcCsv -To (Get-PinnedEnd $requests)
        $expected = @($reference | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        $actual = @(Import-Csv -LiteralPath $path | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        Compare-Sequence -Actual $actual -Expected $expected | Should -BeNullOrEmpty -Because 'every event of the window comes once, in order'
        $requests.Count | Should -BeLessOrEqual 12 -Because "600 rows in responses of 100 take 7 requests, not one per row"
    }

    It 'lists every event once by cursor even when the server''s clock runs behind' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ clockOffsetMs = -1500; dcMaxLimit = 60 } | Out-Null
        $records = @(Get-ConfluenceAuditRecord -PageSize 100)

        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -BeGreaterOrEqual 10
        $expected = @(Get-DcEntity -To (Get-PinnedEnd $requests) | Where-Object { $_.type.action -ne 'Audit Log search performed' } | Get-DcEntityKey)
        Compare-Sequence -Actual @($records | Where-Object Summary -NE 'Audit Log search performed' | Get-DcRecordKey) -Expected $expected | Should -BeNullOrEmpty
    }

    It 'compresses the assembled CSV locally for -Format Zip' {
        $path = Join-Path $TestDrive 'dc-export.zip'
        Export-ConfluenceAudit -Path $path -Format Zip

        $requests = Get-ApiRequest $script:Dc
        $requests | ForEach-Object { $_.Query['outputFormat'] | Should -Be 'csv'; $_.Query.ContainsKey('format') | Should -BeFalse }
        $archive = [System.IO.Compression.ZipFile]::OpenRead($path)
        try {
            @($archive.Entries).Count | Should -Be 1
            $reader = [System.IO.StreamReader]::new($archive.Entries[0].Open())
            try { $inside = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $archive.Dispose() }

        # The server audits every read, the export's own reads included: an "Audit Log search performed" event may or
        # may not fall inside the window depending on the millisecond, so the comparison leaves those rows out.
        $reference = Get-DcCsv -To (Get-PinnedEnd $requests)
        $expected = @($reference | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        $actual = @($inside | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        $expected.Count | Should -BeGreaterThan 0
        Compare-Sequence -Actual $actual -Expected $expected | Should -BeNullOrEmpty
        ($inside -split "`r`n")[0] | Should -BeExactly (($reference -split "`r`n")[0]) -Because 'the header row is the server''s'
    }

    It 'ends with ConfluencePagingStalled, and keeps the file that was there, when the server ignores the offset' {
        # The server answers every CSV request with the same first rows: ending on "nothing new" would write a file that
        # looks whole and holds only those rows.
        $csv = "Timestamp,Author,Category,Action`r`n" + -join (9..0 | ForEach-Object { "2026-03-02T10:00:0$($_)Z,Ada Admin,Permissions,Granted`r`n" })
        Set-ConfluenceAuditEmulatorFault -Emulator $script:Dc -Settings @{
            Path = "/confluence$script:EventsPath"; Method = 'GET'; Body = $csv; BodyContentType = 'text/csv'; FailureRate = 1; Kinds = 'body'
        } | Out-Null
        $path = Join-Path $TestDrive 'dc-export-stalled.csv'
        Set-Content -LiteralPath $path -Value 'the export of last week' -NoNewline
        try {
            { Export-ConfluenceAudit -Path $path -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ConfluencePagingStalled,*'
        }
        finally { Clear-ConfluenceAuditEmulatorFault $script:Dc }

        @(Get-ApiRequest $script:Dc).Count | Should -Be 2
        Get-Content -LiteralPath $path -Raw | Should -BeExactly 'the export of last week'
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '*stalled*').Count | Should -Be 1 -Because 'no partial file is left beside it'
    }
}
