#Requires -Version 7.0
# Export-ConfluenceAuditReport against the emulator: the page's counts against the emulator's own records, records
# from the pipeline, what it refuses before any request, and a file that appears whole or not at all.

BeforeAll {
    $script:Emulator = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '1500', '--seed', '16'
    $script:A = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Deployment Cloud -Credential (Get-ConfluenceAuditEmulatorCredential) -PassThru
    $script:Reference = Get-ReferenceRecord $script:Emulator

    function Get-FolderContent([string] $Path) {
        @(Get-ChildItem -LiteralPath $Path -Force | ForEach-Object Name | Sort-Object)
    }

    function Get-ReportCount([string] $Html, [string] $TableId) {
        # The name and count of each row of one of the report's count tables, as a hashtable.
        $start = $Html.IndexOf("<table id=""$TableId"">")
        if ($start -lt 0) { throw "The report has no table $TableId." }
        $table = $Html.Substring($start, $Html.IndexOf('</table>', $start) - $start)
        $counts = @{}
        foreach ($match in [regex]::Matches($table, '<tr><th scope="row">([^<]*)</th><td class="num" data-count="(\d+)"')) {
            $counts[[System.Net.WebUtility]::HtmlDecode($match.Groups[1].Value)] = [long]$match.Groups[2].Value
        }
        $counts
    }

    function Get-ReportTotal([string] $Html) {
        if ($Html -notmatch 'id="total-records" data-count="(\d+)"') { throw 'The report shows no total.' }
        [long]$Matches[1]
    }
}

AfterAll {
    if ($script:A) { $script:A | Disconnect-ConfluenceAudit }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
}

Describe 'Export-ConfluenceAuditReport' {
    BeforeEach {
        $script:Folder = New-TestFolder
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    AfterEach {
        Remove-TestFolder $script:Folder
    }

    It 'writes one page whose totals and categories equal the emulator''s records, and outputs nothing without -PassThru' {
        $path = Join-Path $script:Folder 'report.html'
        $output = Export-ConfluenceAuditReport -Path $path -TimeZone UTC
        $output | Should -BeNullOrEmpty
        Get-FolderContent $script:Folder | Should -Be @('report.html')
        $html = Get-Content -LiteralPath $path -Raw
        Get-ReportTotal $html | Should -Be $script:Reference.Count
        $expected = @{}
        foreach ($group in $script:Reference | Group-Object category) { $expected[$group.Name] = [long]$group.Count }
        $actual = Get-ReportCount $html 'category-table'
        $actual.Keys | Sort-Object | Should -Be ($expected.Keys | Sort-Object)
        foreach ($name in $expected.Keys) { $actual[$name] | Should -Be $expected[$name] -Because $name }
        $html | Should -Match ([regex]::Escape("data-fact=""Site"">$($script:Emulator.BaseUri)"))
        $html | Should -Match 'data-fact="Deployment">Cloud'
        $html | Should -Match 'data-fact="Time zone">UTC'
        # Every request was a listing of the log.
        Get-ApiRequest $script:Emulator -Module | ForEach-Object Path | Sort-Object -Unique | Should -Be '/wiki/rest/api/audit'
    }

    It 'counts records per day on the report''s clock' {
        $path = Join-Path $script:Folder 'days.html'
        Export-ConfluenceAuditReport -Path $path -TimeZone 'Asia/Tokyo'
        $tokyo = [TimeZoneInfo]::FindSystemTimeZoneById('Asia/Tokyo')
        $expected = @{}
        foreach ($record in $script:Reference) {
            $day = [TimeZoneInfo]::ConvertTime([DateTimeOffset]::FromUnixTimeMilliseconds([long]$record.creationDate), $tokyo).ToString('yyyy-MM-dd')
            $expected[$day] = 1 + [long]$expected[$day]
        }
        $actual = Get-ReportCount (Get-Content -LiteralPath $path -Raw) 'activity-table'
        foreach ($day in $expected.Keys) { $actual[$day] | Should -Be $expected[$day] -Because $day }
        ($actual.Values | Measure-Object -Sum).Sum | Should -Be $script:Reference.Count
    }

    It 'returns the file with -PassThru and names -Title and -WorkingHours' {
        $file = Export-ConfluenceAuditReport -LiteralPath (Join-Path $script:Folder 'q[1].html') -Title 'Access review <Q1>' -WorkingHours '07:00-19:00 Mon-Sat' -PassThru
        $file | Should -BeOfType System.IO.FileInfo
        $file.Name | Should -Be 'q[1].html'
        $html = Get-Content -LiteralPath $file.FullName -Raw
        $html | Should -Match '<title>Access review &lt;Q1&gt;</title>'
        $html | Should -Match 'data-fact="Working hours">07:00-19:00, Monday to Saturday'
    }

    It 'reports the records piped in, and says it was given records rather than a range' {
        $records = @(Get-ConfluenceAuditRecord -SearchString ENG)
        $path = Join-Path $script:Folder 'eng.html'
        Get-ConfluenceAuditRecord -SearchString ENG | Export-ConfluenceAuditReport -Path $path
        $html = Get-Content -LiteralPath $path -Raw
        Get-ReportTotal $html | Should -Be $records.Count
        $html | Should -Match "given on the pipeline \($($records.Count.ToString('N0', [cultureinfo]::InvariantCulture))\), not read as a range"
        $html | Should -Not -Match 'data-fact="Range"'
    }

    It 'reads -Last/-Unit through /audit/since' {
        Export-ConfluenceAuditReport -Path (Join-Path $script:Folder 'week.html') -Last 7 -Unit Days
        (Get-ApiRequest $script:Emulator -Module)[0].Path | Should -Be '/wiki/rest/api/audit/since'
        Get-Content -LiteralPath (Join-Path $script:Folder 'week.html') -Raw | Should -Match 'data-fact="Range">the last 7 Days'
    }

    It 'writes nothing and sends nothing with -WhatIf' {
        Export-ConfluenceAuditReport -Path (Join-Path $script:Folder 'r.html') -WhatIf
        Get-FolderContent $script:Folder | Should -BeNullOrEmpty
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
    }

    It 'refuses <Case> before any request' -ForEach @(
        @{ Case = 'an existing file with -NoClobber'; Id = 'ReportFileExists'; File = 'r.html'; Existing = $true; Extra = @{ NoClobber = $true } }
        @{ Case = 'bad working hours'; Id = 'ReportWorkingHoursInvalid'; File = 'r.html'; Existing = $false; Extra = @{ WorkingHours = '8 to 6' } }
        @{ Case = 'an unknown time zone'; Id = 'ReportTimeZoneNotFound'; File = 'r.html'; Existing = $false; Extra = @{ TimeZone = 'Mars/Olympus_Mons' } }
        @{ Case = 'a missing folder'; Id = 'ReportDirectoryNotFound'; File = 'no-such-folder/r.html'; Existing = $false; Extra = @{} }
    ) {
        $path = Join-Path $script:Folder $File
        if ($Existing) { Set-Content -LiteralPath $path -Value 'old' }
        $extra = $Extra
        $failure = Invoke-Captured { Export-ConfluenceAuditReport -Path $path @extra }
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        if ($Existing) { Get-Content -LiteralPath $path -Raw | Should -Be "old$([Environment]::NewLine)" }
    }

    It 'refuses records piped in together with a range' {
        $failure = Invoke-Captured { Get-ConfluenceAuditRecord -First 3 | Export-ConfluenceAuditReport -Path (Join-Path $script:Folder 'r.html') -StartDate '2026-01-01' }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ReportRecordsAndRange,*'
        Get-FolderContent $script:Folder | Should -BeNullOrEmpty
    }

    It 'leaves the previous report whole, and no partial file, when reading fails' {
        $path = Join-Path $script:Folder 'r.html'
        Set-Content -LiteralPath $path -Value 'previous report'
        # The second page fails (no retries), after the first was read into the report.
        $plain = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Deployment Cloud -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryCount 0 -MaxConcurrency 1 -PassThru
        Set-EmulatorFault $script:Emulator @{ Queue = 'none', '503', '503', '503'; RetryAfterSec = 0 } -Path '/wiki/rest/api/audit'
        try {
            $failure = Invoke-Captured { Export-ConfluenceAuditReport -Path $path -Connection $plain -ErrorAction Stop }
            $failure | Should -Not -BeNullOrEmpty
            (Get-ApiRequest $script:Emulator -Module).Count | Should -BeGreaterThan 1
        }
        finally {
            Clear-ConfluenceAuditEmulatorFault $script:Emulator
            $plain | Disconnect-ConfluenceAudit
        }
        Get-FolderContent $script:Folder | Should -Be @('r.html')
        Get-Content -LiteralPath $path -Raw | Should -Be "previous report$([Environment]::NewLine)"
    }
}

Describe 'Export-ConfluenceAuditReport on Data Center, in German' {
    BeforeAll {
        $script:DataCenter = Start-ConfluenceAuditEmulator -ArgumentList '--deployment', 'datacenter', '--language', 'de', '--records', '400', '--seed', '16'
        $script:D = Connect-ConfluenceAudit -BaseUri $script:DataCenter.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Deployment DataCenter) -PassThru
    }

    AfterAll {
        if ($script:D) { $script:D | Disconnect-ConfluenceAudit }
        if ($script:DataCenter) { $script:DataCenter | Stop-ConfluenceAuditEmulator }
    }

    It 'reads the auditing framework, names the deployment, and recognises sensitive events by their keys' {
        $folder = New-TestFolder
        try {
            # Every read is itself audited on Data Center: both read up to the same fixed end.
            $end = (Get-Date).AddSeconds(-1)
            $records = @(Get-ConfluenceAuditRecord -Connection $script:D -EndDate $end)
            $path = Join-Path $folder 'dc.html'
            Export-ConfluenceAuditReport -Path $path -Connection $script:D -EndDate $end
            $html = Get-Content -LiteralPath $path -Raw
            Get-ReportTotal $html | Should -Be $records.Count
            $html | Should -Match 'data-fact="Deployment">DataCenter'
            $kinds = Get-ReportCount $html 'sensitive-kind-table'
            # German names (Berechtigungen, Benutzer deaktiviert) say nothing the table knows; the keys do.
            # A permission that grants Confluence Administrator counts as an admin grant instead.
            $permissions = @($records | Where-Object CategoryKey -eq 'audit.logging.category.permissions')
            $grants = @($permissions | Where-Object { @($_.ChangedValues.NewValue) -contains 'Confluence Administrator' })
            $kinds['Permission change'] | Should -Be ($permissions.Count - $grants.Count)
            $kinds['Admin grant'] | Should -BeGreaterOrEqual $grants.Count
            $kinds['User deactivation'] | Should -Be @($records | Where-Object ActionKey -eq 'audit.logging.summary.user.deactivated').Count
            $kinds['User deactivation'] | Should -BeGreaterThan 0
        }
        finally { Remove-TestFolder $folder }
    }
}
