#Requires -Version 7.0
# Export-ConfluenceAudit against the emulator: the requests it sends (checked on the emulator's request log), the file
# byte for byte as the server sent it, what it refuses before any request, and files that appear only when complete.

BeforeAll {
    $script:Emulator = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    # A: seeded records, retention 3 MONTHS (the default).
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '300', '--seed', '11'
    $script:A = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -PassThru

    function Get-FolderContent([string] $Path) {
        # Every entry, hidden ones (a leftover ".audit.csv.1234abcd.partial") included.
        @(Get-ChildItem -LiteralPath $Path -Force -Recurse | ForEach-Object { [IO.Path]::GetRelativePath($Path, $_.FullName) } | Sort-Object)
    }

    function Get-ReferenceExport {
        # The emulator's export fetched directly (not through the module), as bytes.
        param([Parameter(Mandatory)] [string] $Query)
        $file = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('N') + '.bin')
        try {
            Invoke-WebRequest -Uri "$($script:Emulator.BaseUri)/rest/api/audit/export?$Query" -Headers (Get-AdminAuthorizationHeader) -OutFile $file | Out-Null
            , [IO.File]::ReadAllBytes($file)
        }
        finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
    }

    function Test-SameBytes([byte[]] $Actual, [byte[]] $Expected) {
        $Actual.Length -eq $Expected.Length -and [System.Linq.Enumerable]::SequenceEqual($Actual, $Expected)
    }

    $script:ExportCommandId = 'ConfluenceAudit.Commands.ExportConfluenceAuditCommand'
}

AfterAll {
    if ($script:A) { $script:A | Disconnect-ConfluenceAudit }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
}

Describe 'Export-ConfluenceAudit' {
    BeforeEach {
        $script:Folder = New-TestFolder
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    AfterEach {
        Clear-ConfluenceAuditEmulatorFault $script:Emulator
        Remove-TestFolder $script:Folder
    }

    It 'writes the CSV export byte for byte as the server sends it, and outputs nothing without -PassThru' {
        $path = Join-Path $script:Folder 'audit.csv'

        $output = Export-ConfluenceAudit -Connection $script:A -Path $path

        $output | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator -Module
        $requests.Count | Should -Be 1
        $requests[0].Path | Should -Be '/wiki/rest/api/audit/export'
        $requests[0].Query['format'] | Should -Be 'csv'
        @($requests[0].Query.Keys) | Should -Be @('format')
        Test-SameBytes ([IO.File]::ReadAllBytes($path)) (Get-ReferenceExport 'format=csv') | Should -BeTrue
        Get-FolderContent $script:Folder | Should -Be @('audit.csv')
    }

    It 'writes a ZIP for a .zip path that opens and holds the same CSV as the CSV export' {
        $zip = Join-Path $script:Folder 'audit.zip'
        $csv = Join-Path $script:Folder 'audit.csv'

        Export-ConfluenceAudit -Connection $script:A -Path $zip
        Export-ConfluenceAudit -Connection $script:A -Path $csv

        (Get-ApiRequest $script:Emulator -Module).Query.format | Should -Be @('zip', 'csv')
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try {
            $archive.Entries.Count | Should -Be 1
            $archive.Entries[0].FullName | Should -BeLike '*.csv'
            $content = [IO.MemoryStream]::new()
            $stream = $archive.Entries[0].Open()
            try { $stream.CopyTo($content) } finally { $stream.Dispose() }
        }
        finally { $archive.Dispose() }
        Test-SameBytes $content.ToArray() ([IO.File]::ReadAllBytes($csv)) | Should -BeTrue
        $content.Length | Should -BeGreaterThan 1000
    }

    It 'sends format=<Sent> for <Name> <Parameter>' -ForEach @(
        @{ Name = 'a.zip'; Parameter = ''; Sent = 'zip' }
        @{ Name = 'A.ZIP'; Parameter = ''; Sent = 'zip' }
        @{ Name = 'a.csv'; Parameter = ''; Sent = 'csv' }
        @{ Name = 'a.txt'; Parameter = ''; Sent = 'csv' }
        @{ Name = 'a.zip'; Parameter = 'Csv'; Sent = 'csv' }
        @{ Name = 'a.csv'; Parameter = 'Zip'; Sent = 'zip' }
    ) {
        $path = Join-Path $script:Folder $Name
        if ($Parameter) { Export-ConfluenceAudit -Connection $script:A -Path $path -Format $Parameter } else { Export-ConfluenceAudit -Connection $script:A -Path $path }

        (Get-ApiRequest $script:Emulator -Module).Query.format | Should -Be $Sent
        $bytes = [IO.File]::ReadAllBytes($path)
        $isZip = $bytes.Length -gt 4 -and $bytes[0] -eq 0x50 -and $bytes[1] -eq 0x4B
        $isZip | Should -Be ($Sent -eq 'zip')
    }

    It 'sends -StartDate/-EndDate as epoch milliseconds and -SearchString as searchString, and saves what that query exports' {
        $start = [datetime]::new(2020, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $end = [datetime]::new(2030, 3, 2, 10, 15, 0, 125, [DateTimeKind]::Utc)
        $path = Join-Path $script:Folder 'filtered.csv'

        Export-ConfluenceAudit -Connection $script:A -Path $path -StartDate $start -EndDate $end -SearchString 'Space'

        $query = (Get-ApiRequest $script:Emulator -Module)[0].Query
        $query['startDate'] | Should -Be '1577836800000'
        $query['endDate'] | Should -Be '1898676900125'
        $query['searchString'] | Should -BeExactly 'Space'
        $query['format'] | Should -Be 'csv'
        Test-SameBytes ([IO.File]::ReadAllBytes($path)) (Get-ReferenceExport 'format=csv&startDate=1577836800000&endDate=1898676900125&searchString=Space') | Should -BeTrue
        (Get-Item -LiteralPath $path).Length | Should -BeLessThan (Get-ReferenceExport 'format=csv').Length -Because 'the search selects fewer records'
    }

    It 'sends a local -StartDate as the local instant' {
        $start = [datetime]'2026-03-01 08:30'

        Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'a.csv') -StartDate $start

        (Get-ApiRequest $script:Emulator -Module)[0].Query['startDate'] | Should -Be ([string]([DateTimeOffset]$start).ToUnixTimeMilliseconds())
    }

    It 'resolves a relative -Path against the current PowerShell location, not the process directory' {
        [Environment]::CurrentDirectory | Should -Not -Be $script:Folder
        Push-Location -LiteralPath $script:Folder
        try {
            Export-ConfluenceAudit -Connection $script:A -Path 'relative.csv'
            Export-ConfluenceAudit -Connection $script:A -Path './sub/../second.csv'
        }
        finally { Pop-Location }

        Get-FolderContent $script:Folder | Should -Be @('relative.csv', 'second.csv')
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'relative.csv') | Should -BeFalse
    }

    It 'resolves a path on a PSDrive (drive:\file.csv) through the provider' {
        New-PSDrive -Name CAExport -PSProvider FileSystem -Root $script:Folder | Out-Null
        try {
            $file = Export-ConfluenceAudit -Connection $script:A -Path 'CAExport:\drive.csv' -PassThru
        }
        finally { Remove-PSDrive -Name CAExport }

        $file.FullName | Should -Be (Join-Path $script:Folder 'drive.csv')
        Get-FolderContent $script:Folder | Should -Be @('drive.csv')
        (Get-Item -LiteralPath (Join-Path $script:Folder 'drive.csv')).Length | Should -BeGreaterThan 0
    }

    It 'takes wildcard characters in -LiteralPath as they are' {
        Export-ConfluenceAudit -Connection $script:A -LiteralPath (Join-Path $script:Folder '[1].csv')

        Get-FolderContent $script:Folder | Should -Be @('[1].csv')
        Test-SameBytes ([IO.File]::ReadAllBytes((Join-Path $script:Folder '[1].csv'))) (Get-ReferenceExport 'format=csv') | Should -BeTrue
    }

    It '-NoClobber on an existing file fails with ExportFileExists, sends nothing and leaves the file untouched' {
        $path = Join-Path $script:Folder 'audit.csv'
        Set-Content -LiteralPath $path -Value 'keep me' -NoNewline
        $hash = (Get-FileHash -LiteralPath $path).Hash

        $err = Invoke-Captured { Export-ConfluenceAudit -Connection $script:A -Path $path -NoClobber }

        $err.FullyQualifiedErrorId | Should -Be "ExportFileExists,$script:ExportCommandId"
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-FileHash -LiteralPath $path).Hash | Should -Be $hash
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
    }

    It 'a read-only file fails with ExportFileReadOnly without -Force, and is replaced with -Force' {
        $path = Join-Path $script:Folder 'audit.csv'
        Set-Content -LiteralPath $path -Value 'read-only' -NoNewline
        (Get-Item -LiteralPath $path).IsReadOnly = $true

        $err = Invoke-Captured { Export-ConfluenceAudit -Connection $script:A -Path $path }

        $err.FullyQualifiedErrorId | Should -Be "ExportFileReadOnly,$script:ExportCommandId"
        Get-Content -LiteralPath $path -Raw | Should -BeExactly 'read-only'
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty

        Export-ConfluenceAudit -Connection $script:A -Path $path -Force

        Test-SameBytes ([IO.File]::ReadAllBytes($path)) (Get-ReferenceExport 'format=csv') | Should -BeTrue
        (Get-ApiRequest $script:Emulator -Module).Count | Should -Be 1
        Get-FolderContent $script:Folder | Should -Be @('audit.csv')
    }

    It '-PassThru emits the FileInfo of the written file' {
        $path = Join-Path $script:Folder 'audit.zip'

        $file = Export-ConfluenceAudit -Connection $script:A -Path $path -PassThru

        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $path
        $file.Length | Should -Be (Get-Item -LiteralPath $path).Length
        $file.Length | Should -BeGreaterThan 0
    }

    It '-WhatIf sends nothing and writes nothing' {
        $existing = Join-Path $script:Folder 'existing.csv'
        Set-Content -LiteralPath $existing -Value 'keep me' -NoNewline

        $output = @(
            Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'new.csv') -PassThru -WhatIf
            Export-ConfluenceAudit -Connection $script:A -Path $existing -WhatIf
        )

        $output | Should -BeNullOrEmpty
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        Get-FolderContent $script:Folder | Should -Be @('existing.csv')
        Get-Content -LiteralPath $existing -Raw | Should -BeExactly 'keep me'
    }

    It 'a connection dropped mid-body leaves no file and no hidden partial file' {
        Set-EmulatorFault $script:Emulator @{ Queue = 'drop' } -Path '/wiki/rest/api/audit/export'

        $result = Invoke-Collect { Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'audit.csv') -PassThru }

        $result.Output | Should -BeNullOrEmpty
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "ConfluenceConnectionFailed,$script:ExportCommandId"
        Get-FolderContent $script:Folder | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Emulator -Module
        $requests.Count | Should -Be 1
        $requests[0].Fault | Should -Be 'drop'
    }

    It 'a connection dropped mid-body leaves an existing file byte-identical (also with -Force)' {
        $path = Join-Path $script:Folder 'audit.zip'
        Export-ConfluenceAudit -Connection $script:A -Path $path
        $before = [IO.File]::ReadAllBytes($path)
        $written = (Get-Item -LiteralPath $path).LastWriteTimeUtc
        Set-EmulatorFault $script:Emulator @{ Queue = 'drop', 'drop' } -Path '/wiki/rest/api/audit/export'

        $result = Invoke-Collect {
            Export-ConfluenceAudit -Connection $script:A -Path $path
            Export-ConfluenceAudit -Connection $script:A -Path $path -Force -Format Csv
        }

        $result.Errors.Count | Should -Be 2
        Test-SameBytes ([IO.File]::ReadAllBytes($path)) $before | Should -BeTrue
        (Get-Item -LiteralPath $path).LastWriteTimeUtc | Should -Be $written
        Get-FolderContent $script:Folder | Should -Be @('audit.zip')
    }

    It 'a missing folder fails with ExportDirectoryNotFound before any request' {
        $err = Invoke-Captured { Export-ConfluenceAudit -Connection $script:A -Path (Join-Path $script:Folder 'missing/audit.csv') }

        $err.FullyQualifiedErrorId | Should -Be "ExportDirectoryNotFound,$script:ExportCommandId"
        Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        Get-FolderContent $script:Folder | Should -BeNullOrEmpty
    }

    It 'a 403 (an account without audit permission) fails and leaves no file' {
        $existing = Join-Path $script:Folder 'existing.csv'
        Set-Content -LiteralPath $existing -Value 'keep me' -NoNewline
        $user = Get-ConfluenceAuditEmulatorCredential -Account User
        # Connect-ConfluenceAudit refuses a non-administrator, so the connection comes from the environment.
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Disconnect-ConfluenceAudit
        $saved = Save-ConfluenceEnvironment
        try {
            $env:CONFLUENCE_BASE_URL = $script:Emulator.BaseUri
            $env:CONFLUENCE_EMAIL = $user.UserName
            $env:CONFLUENCE_API_TOKEN = $user.GetNetworkCredential().Password
            Clear-ConfluenceAuditEmulatorRequest $script:Emulator

            $new = Invoke-Captured { Export-ConfluenceAudit -Path (Join-Path $script:Folder 'new.csv') }
            $replace = Invoke-Captured { Export-ConfluenceAudit -Path $existing -Force }
        }
        finally {
            Disconnect-ConfluenceAudit
            Restore-ConfluenceEnvironment $saved
        }

        foreach ($err in $new, $replace) {
            $err.FullyQualifiedErrorId | Should -Be "ConfluencePermissionDenied,$script:ExportCommandId"
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        }
        (Get-ApiRequest $script:Emulator -Module).Status | Should -Be @(403, 403)
        Get-FolderContent $script:Folder | Should -Be @('existing.csv')
        Get-Content -LiteralPath $existing -Raw | Should -BeExactly 'keep me'
    }
}
