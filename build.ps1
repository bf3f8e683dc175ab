<#
.SYNOPSIS
Builds, tests and demonstrates the ConfluenceAudit module.

.DESCRIPTION
Tasks (several may be given, run in order):
  Build     Compiles the solution and assembles the module folder out/ConfluenceAudit from an allow-list.
  Test      Build, then the xunit tests, then the Pester tests against the built module in a child pwsh.
            Ends with one line "N passed, N failed" covering both, and fails when anything failed.
  Demo      Build, start the emulator with sample data, and use the module as an administrator would.
  Emulator  Build, then run the emulator in the foreground (Ctrl+C stops it) to rehearse scripts offline.
  Package   Build, then pack out/ConfluenceAudit into out/ConfluenceAudit.<version>.nupkg with PSResourceGet.
  Bench     Build, then measure listing speed and memory against the alternatives (docs/benchmarks.md);
            -Million for 1,000,000 records. Not part of Test.
  Clean     Removes build output.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Demo

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Emulator', 'Package', 'Bench', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Extra arguments for the emulator (Emulator task), such as '--records', '100000'.
    [string[]] $EmulatorArgument = @(),

    # Bench task: 1,000,000 records instead of 100,000.
    [switch] $Million
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutDir 'ConfluenceAudit'
$ModuleProject = Join-Path $Root 'src/ConfluenceAudit/ConfluenceAudit.csproj'
$ModuleBin = Join-Path $Root "src/ConfluenceAudit/bin/$Configuration/netstandard2.0"
$TestResults = Join-Path $OutDir 'TestResults'
$PesterVersion = '5.7.1'

# Files of the built module. Nothing else is copied: what is tested is exactly what ships.
# System.Text.Json and its dependencies serve Windows PowerShell 5.1; PowerShell 7 binds its own newer copies.
$ModuleFiles = @(
    'ConfluenceAudit.dll'
    'ConfluenceAudit.Format.ps1xml'
    'System.Text.Json.dll'
    'System.Text.Encodings.Web.dll'
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'System.Buffers.dll'
    'System.Memory.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Threading.Tasks.Extensions.dll'
)

function Invoke-Native {
    # Runs a program and stops the build when it fails: no step's failure is ever ignored.
    param([Parameter(Mandatory)] [string] $FilePath, [Parameter(ValueFromRemainingArguments)] [string[]] $ArgumentList)
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -LiteralPath (Join-Path $Root 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ })[0].InnerText
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    $version
}

function Invoke-Build {
    Invoke-Native dotnet build (Join-Path $Root 'ConfluenceAudit.sln') -c $Configuration --nologo --verbosity quiet

    if (Test-Path -LiteralPath $ModuleOut) { Remove-Item -LiteralPath $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    foreach ($file in $ModuleFiles) {
        $source = Join-Path $ModuleBin $file
        if (-not (Test-Path -LiteralPath $source)) { throw "The build did not produce $file ($source)." }
        Copy-Item -LiteralPath $source -Destination $ModuleOut
    }
    # The MIT license asks for its text in every copy: the module folder, and so the package, carries it.
    Copy-Item -LiteralPath (Join-Path $Root 'LICENSE') -Destination $ModuleOut

    $version = Get-ModuleVersion
    $manifest = Get-Content -LiteralPath (Join-Path $Root 'ConfluenceAudit.psd1') -Raw
    $stamped = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    if ($stamped -eq $manifest -and $manifest -notmatch [regex]::Escape("'$version'")) { throw 'Could not stamp ModuleVersion into the manifest.' }
    Set-Content -LiteralPath (Join-Path $ModuleOut 'ConfluenceAudit.psd1') -Value $stamped -Encoding utf8NoBOM

    # Help (en-US/ConfluenceAudit.dll-Help.xml, about_*.help.txt) from docs/help and the built module's metadata; throws when incomplete.
    & (Join-Path $Root 'docs/help/Build-Help.ps1') -ModulePath $ModuleOut -SourcePath (Join-Path $Root 'docs/help')
    if (-not $?) { throw 'Building the help failed.' }

    $info = Test-ModuleManifest -Path (Join-Path $ModuleOut 'ConfluenceAudit.psd1')
    Test-WindowsPowerShellCompatibility
    Write-Host "Built ConfluenceAudit $($info.Version) in $ModuleOut" -ForegroundColor Green
}

function Get-AssemblyMetadata {
    # Name, version and assembly references of a .NET assembly, read with System.Reflection.Metadata (nothing is loaded).
    param([Parameter(Mandatory)] [string] $Path)
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        try {
            if (-not $pe.HasMetadata) { throw "$Path is not a .NET assembly." }
            $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $definition = $reader.GetAssemblyDefinition()
            $references = foreach ($handle in $reader.AssemblyReferences) {
                $reference = $reader.GetAssemblyReference($handle)
                $name = [System.Reflection.AssemblyName]::new($reader.GetString($reference.Name))
                $name.Version = $reference.Version
                if (-not $reference.PublicKeyOrToken.IsNil) {
                    $bytes = $reader.GetBlobBytes($reference.PublicKeyOrToken)
                    if ($bytes.Length -eq 8) { $name.SetPublicKeyToken($bytes) } else { $name.SetPublicKey($bytes) }
                }
                $name.CultureInfo = [System.Globalization.CultureInfo]::InvariantCulture
                $name
            }
            [pscustomobject]@{ Name = $reader.GetString($definition.Name); Version = $definition.Version; File = (Split-Path -Leaf $Path); References = @($references) }
        }
        finally { $pe.Dispose() }
    }
    finally { $stream.Dispose() }
}

function Test-WindowsPowerShellCompatibility {
    # Windows PowerShell 5.1 cannot run here. The build proves instead that nothing in out/ConfluenceAudit needs more than
    # .NET Framework 4.7.2 and Windows PowerShell 5.1 offer, and fails otherwise:
    #  1. the module's sources compile for net472 against .NET Framework 4.7.2's reference assemblies (NuGet package
    #     Microsoft.NETFramework.ReferenceAssemblies.net472; a separate build into obj/ and bin/netfx-check, never shipped);
    #  2. every assembly reference of every shipped DLL is to .NET Framework 4.7.2 (same or lower version), to
    #     System.Management.Automation 3.0 (Windows PowerShell 5.1), or to a DLL shipped in the module folder in the same
    #     or a higher version;
    #  3. the module's own resolver (DependencyResolver, which stands in for binding redirects on .NET Framework) answers
    #     every request for a shipped DLL, in the version each reference asks for, with that file.
    $projectDir = Split-Path -Parent $ModuleProject
    $checkObj = (Join-Path $projectDir 'obj/netfx-check') + [System.IO.Path]::DirectorySeparatorChar
    $checkBin = (Join-Path $projectDir 'bin/netfx-check') + [System.IO.Path]::DirectorySeparatorChar
    Invoke-Native dotnet build $ModuleProject -c $Configuration --nologo --verbosity quiet "-p:NetFrameworkCheck=true" `
        "-p:BaseIntermediateOutputPath=$checkObj" "-p:BaseOutputPath=$checkBin"

    $assets = Get-Content -LiteralPath (Join-Path $checkObj 'project.assets.json') -Raw | ConvertFrom-Json -AsHashtable
    $library = @($assets.libraries.Keys | Where-Object { $_ -like 'Microsoft.NETFramework.ReferenceAssemblies.net472/*' })
    if ($library.Count -ne 1) { throw 'The net472 check build did not restore Microsoft.NETFramework.ReferenceAssemblies.net472.' }
    $referenceDir = @(foreach ($folder in $assets.packageFolders.Keys) {
            $candidate = Join-Path $folder $assets.libraries[$library[0]].path 'build/.NETFramework/v4.7.2'
            if (Test-Path -LiteralPath $candidate) { $candidate }
        })[0]
    if (-not $referenceDir) { throw "The reference assemblies of $($library[0]) were not found in the NuGet package folders." }

    $framework = @{}
    foreach ($file in @(Get-ChildItem -LiteralPath $referenceDir -Filter '*.dll') + @(Get-ChildItem -LiteralPath (Join-Path $referenceDir 'Facades') -Filter '*.dll')) {
        # A few files there are native (System.EnterpriseServices.Thunk.dll, .Wrapper.dll): no assembly to bind to.
        try { $name = [System.Reflection.AssemblyName]::GetAssemblyName($file.FullName) } catch [System.BadImageFormatException] { continue }
        if (-not $framework.ContainsKey($name.Name) -or $framework[$name.Name] -lt $name.Version) { $framework[$name.Name] = $name.Version }
    }
    $windowsPowerShell = @{ 'System.Management.Automation' = [version]'3.0.0.0' }

    $assemblies = @(Get-ChildItem -LiteralPath $ModuleOut -Filter '*.dll' | ForEach-Object { Get-AssemblyMetadata -Path $_.FullName })
    $shipped = @{}
    foreach ($assembly in $assemblies) { $shipped[$assembly.Name] = $assembly }

    $problems = [System.Collections.Generic.List[string]]::new()
    $requests = [System.Collections.Generic.List[object]]::new()
    $counts = @{ Framework = 0; WindowsPowerShell = 0; Shipped = 0 }
    foreach ($assembly in $assemblies) {
        foreach ($reference in $assembly.References) {
            $what = "$($assembly.File) references $($reference.Name) $($reference.Version)"
            if ($shipped.ContainsKey($reference.Name)) {
                $target = $shipped[$reference.Name]
                if ($reference.Version -gt $target.Version) { $problems.Add("$what, but $($target.File) is $($target.Version).") }
                $requests.Add([pscustomobject]@{ From = $assembly.File; Request = $reference.FullName; Name = $reference.Name; Version = $reference.Version; Expected = Join-Path $ModuleOut $target.File; Ships = $target.Version })
                $counts.Shipped++
            }
            elseif ($framework.ContainsKey($reference.Name)) {
                if ($reference.Version -gt $framework[$reference.Name]) { $problems.Add("$what, but .NET Framework 4.7.2 has $($framework[$reference.Name]).") }
                $counts.Framework++
            }
            elseif ($windowsPowerShell.ContainsKey($reference.Name)) {
                if ($reference.Version -gt $windowsPowerShell[$reference.Name]) { $problems.Add("$what, but Windows PowerShell 5.1 has $($windowsPowerShell[$reference.Name]).") }
                $counts.WindowsPowerShell++
            }
            else {
                $problems.Add("$what, which is neither in .NET Framework 4.7.2 nor shipped in $ModuleOut.")
            }
        }
    }

    # Ask the compiled resolver itself, in a child pwsh so this process never loads the module's DLL.
    $probe = Join-Path ([System.IO.Path]::GetTempPath()) "ConfluenceAudit-resolver-probe-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -LiteralPath $probe -Encoding utf8NoBOM -Value @'
param([string] $ModuleDll, [string] $RequestPath)
$ErrorActionPreference = 'Stop'
$type = [System.Reflection.Assembly]::LoadFrom($ModuleDll).GetType('ConfluenceAudit.PowerShell.AssemblyResolver', $true)
$method = $type.GetMethod('GetAssemblyPath', [System.Reflection.BindingFlags]'NonPublic, Static')
$directory = Split-Path -Parent $ModuleDll
Get-Content -LiteralPath $RequestPath | ForEach-Object { [string]$method.Invoke($null, [object[]]@([string]$_, [string]$directory, $true)) } | ConvertTo-Json -Compress -AsArray
'@
    $requestFile = "$probe.txt"
    Set-Content -LiteralPath $requestFile -Encoding utf8NoBOM -Value @($requests | ForEach-Object Request)
    try {
        $answers = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $probe -ModuleDll (Join-Path $ModuleOut 'ConfluenceAudit.dll') -RequestPath $requestFile
        if ($LASTEXITCODE -ne 0) { throw "Asking the module's resolver failed (exit code $LASTEXITCODE): $answers" }
    }
    finally { Remove-Item -LiteralPath $probe, $requestFile -ErrorAction SilentlyContinue }
    $answers = @(($answers -join '') | ConvertFrom-Json)
    if ($answers.Count -ne $requests.Count) { throw "The module's resolver gave $($answers.Count) answers for $($requests.Count) requests." }
    for ($i = 0; $i -lt $requests.Count; $i++) {
        if ($answers[$i] -ne $requests[$i].Expected) {
            $problems.Add("On .NET Framework the module's resolver answers '$($requests[$i].Request)' (from $($requests[$i].From)) with '$($answers[$i])', not $($requests[$i].Expected).")
        }
    }

    foreach ($request in $requests | Where-Object { $_.Version -ne $_.Ships }) {
        Write-Host ("  {0} asks for {1} {2}; {3} is shipped: bound by the module's resolver on .NET Framework" -f $request.From, $request.Name, $request.Version, $request.Ships)
    }
    if ($problems.Count -gt 0) {
        throw "The module would not load in Windows PowerShell 5.1 (.NET Framework 4.7.2):`n  $($problems -join "`n  ")"
    }
    Write-Host ("Windows PowerShell 5.1 check: compiles for net472; {0} DLLs, {1} references: {2} to .NET Framework 4.7.2, {3} to Windows PowerShell, {4} to shipped DLLs, all answered by the module's resolver" -f
        $assemblies.Count, ($counts.Framework + $counts.WindowsPowerShell + $counts.Shipped), $counts.Framework, $counts.WindowsPowerShell, $counts.Shipped) -ForegroundColor Green
}

function New-ModulePackage {
    # Packs a built module folder into <DestinationPath>/<Name>.<Version>.nupkg with PSResourceGet, through a temporary
    # local file repository that is unregistered again whatever happens; throws on any error. Self-contained (it uses
    # only its parameters): tests/Pester/Package.Tests.ps1 runs this same function.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DestinationPath)
    $ErrorActionPreference = 'Stop'
    Import-Module Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.0.0 -ErrorAction Stop
    $name = Split-Path -Leaf $ModulePath
    $version = (Import-PowerShellDataFile -LiteralPath (Join-Path $ModulePath "$name.psd1")).ModuleVersion
    $id = [guid]::NewGuid().ToString('n')
    $repositoryPath = Join-Path ([System.IO.Path]::GetTempPath()) "$name-publish-$id"
    $repositoryName = "$name-publish-$id"
    New-Item -ItemType Directory -Path $repositoryPath | Out-Null
    try {
        Register-PSResourceRepository -Name $repositoryName -Uri $repositoryPath -Trusted -ErrorAction Stop
        try {
            Publish-PSResource -Path $ModulePath -Repository $repositoryName -SkipDependenciesCheck -ErrorAction Stop
        }
        finally {
            Unregister-PSResourceRepository -Name $repositoryName -ErrorAction Stop
        }
        $published = @(Get-ChildItem -LiteralPath $repositoryPath -Filter '*.nupkg')
        if ($published.Count -ne 1) { throw "Publish-PSResource left $($published.Count) packages in $repositoryPath, not one." }
        New-Item -ItemType Directory -Path $DestinationPath -Force | Out-Null
        $package = Join-Path $DestinationPath "$name.$version.nupkg"
        Copy-Item -LiteralPath $published[0].FullName -Destination $package -Force
        $package
    }
    finally {
        Remove-Item -LiteralPath $repositoryPath -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-Package {
    $package = New-ModulePackage -ModulePath $ModuleOut -DestinationPath $OutDir
    Write-Host "Packaged $package" -ForegroundColor Green
}

function Get-PesterModulePath {
    # Pester comes from NuGet (there is no PowerShell Gallery here): restore it, then import it from the package cache.
    Invoke-Native dotnet restore (Join-Path $Root 'tests/tools/TestTools.csproj') --nologo --verbosity quiet
    $cache = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $path = Join-Path $cache.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $path)) { throw "Pester $PesterVersion was not restored ($path)." }
    $path
}

function Invoke-Test {
    if (Test-Path -LiteralPath $TestResults) { Remove-Item -LiteralPath $TestResults -Recurse -Force }
    New-Item -ItemType Directory -Path $TestResults | Out-Null

    # xunit: the core against a fake handler and the cmdlets in an in-process runspace.
    $trx = 'xunit.trx'
    & dotnet test (Join-Path $Root 'tests/ConfluenceAudit.Tests/ConfluenceAudit.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' --results-directory $TestResults
    $xunitExit = $LASTEXITCODE
    $trxPath = Join-Path $TestResults $trx
    if (-not (Test-Path -LiteralPath $trxPath)) { throw "xunit wrote no results (exit code $xunitExit)." }
    $counters = ([xml](Get-Content -LiteralPath $trxPath -Raw)).TestRun.ResultSummary.Counters
    $xunitPassed = [int]$counters.passed
    $xunitFailed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    if ($xunitExit -ne 0 -and $xunitFailed -eq 0) { throw "xunit failed with exit code $xunitExit." }
    if ([int]$counters.total -eq 0) { throw 'xunit ran no tests.' }

    # Pester: the built module in a child pwsh, so the test session is as fresh as a user's.
    $pester = Get-PesterModulePath
    Invoke-Native npm ci --prefix (Join-Path $Root 'tests/contract') --no-audit --no-fund --loglevel=error
    $summary = Join-Path $TestResults 'pester-summary.json'
    & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterTests.ps1') `
        -PesterPath $pester -ModulePath $ModuleOut -SummaryPath $summary -ResultsPath (Join-Path $TestResults 'pester.xml')
    $pesterExit = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $summary)) { throw "Pester wrote no summary (exit code $pesterExit)." }
    $pesterCounts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { throw "Pester failed with exit code $pesterExit." }
    if ($pesterCounts.Total -eq 0) { throw 'Pester ran no tests.' }

    $passed = $xunitPassed + $pesterCounts.Passed
    $failed = $xunitFailed + $pesterCounts.Failed
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed, $($pesterCounts.Skipped) skipped"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { throw "$failed tests failed." }
}

function Invoke-Demo {
    # What an administrator does first, against the emulator with sample data. The emulator stops even when a step fails.
    Import-Module (Join-Path $Root 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1') -Force
    Import-Module (Join-Path $ModuleOut 'ConfluenceAudit.psd1') -Force
    $emulator = Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', '5000'
    $workDir = Join-Path $OutDir 'demo'
    try {
        function Show-Step([string] $Text, [string] $Command) {
            Write-Host "`n# $Text" -ForegroundColor Cyan
            Write-Host "PS> $Command" -ForegroundColor Yellow
        }

        Show-Step "Connect (the emulator stands in for https://<site>.atlassian.net)" "Connect-ConfluenceAudit -BaseUri $($emulator.BaseUri) -Credential `$credential"
        Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Get-ConfluenceAuditConnection | Format-Table | Out-Host

        Show-Step 'The latest records' 'Get-ConfluenceAuditRecord -First 10'
        Get-ConfluenceAuditRecord -First 10 | Format-Table | Out-Host

        Show-Step 'Everything in the log, counted by category' 'Get-ConfluenceAuditRecord | Group-Object Category | Sort-Object Count -Descending'
        Get-ConfluenceAuditRecord | Group-Object Category -NoElement | Sort-Object Count -Descending | Format-Table Count, Name | Out-Host

        Show-Step 'The last 7 days' 'Get-ConfluenceAuditRecord -Last 7 -Unit Days | Measure-Object'
        $week = Get-ConfluenceAuditRecord -Last 7 -Unit Days | Measure-Object
        Write-Host "$($week.Count) records in the last 7 days"

        Show-Step 'One record in full' 'Get-ConfluenceAuditRecord -First 1 | Format-List'
        Get-ConfluenceAuditRecord -First 1 | Format-List | Out-Host

        Show-Step 'Add a record, then find it again' "New-ConfluenceAuditRecord -RemoteAddress 10.20.30.40 -Summary 'Quarterly access review completed' -Category Security -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' }"
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.40 -Summary 'Quarterly access review completed' -Category Security -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' } -AuthorName 'Ada Admin'
        Get-ConfluenceAuditRecord -SearchString 'Quarterly access review' | Format-Table | Out-Host

        New-Item -ItemType Directory -Path $workDir -Force | Out-Null
        Show-Step 'Export the last 30 days to a file' "Export-ConfluenceAudit -Path ./audit.zip -StartDate (Get-Date).AddDays(-30) -PassThru"
        $csv = Export-ConfluenceAudit -Path (Join-Path $workDir 'audit.csv') -StartDate (Get-Date).AddDays(-30) -PassThru
        $zip = Export-ConfluenceAudit -Path (Join-Path $workDir 'audit.zip') -StartDate (Get-Date).AddDays(-30) -PassThru
        Write-Host ("{0}: {1:N0} bytes; {2}: {3:N0} bytes" -f $csv.Name, $csv.Length, $zip.Name, $zip.Length)

        Show-Step 'Retention, and what a change would do' 'Get-ConfluenceAuditRetention; Set-ConfluenceAuditRetention -Number 1 -Unit Years -WhatIf'
        Get-ConfluenceAuditRetention | Format-Table | Out-Host
        Set-ConfluenceAuditRetention -Number 1 -Unit Years -WhatIf

        $checkpoint = Join-Path $workDir 'confluence-audit.checkpoint'
        $forwarded = Join-Path $workDir 'forwarded.csv'
        Remove-Item -LiteralPath $checkpoint, $forwarded -ErrorAction Ignore
        Show-Step 'A collector: the first incremental run forwards the last 3 days, oldest first' "Get-ConfluenceAuditRecord -CheckpointPath ./confluence-audit.checkpoint -StartDate (Get-Date).AddDays(-3) | Export-Csv -Append ./forwarded.csv"
        Get-ConfluenceAuditRecord -CheckpointPath $checkpoint -StartDate (Get-Date).AddDays(-3) | Export-Csv -Append -Path $forwarded
        Write-Host "$(@(Import-Csv -LiteralPath $forwarded).Count) records forwarded"
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.41 -Summary 'Collector check: record one' -Category Security
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.42 -Summary 'Collector check: record two' -Category Security
        Show-Step 'Two records are created; the next run forwards exactly those two' 'Get-ConfluenceAuditRecord -CheckpointPath ./confluence-audit.checkpoint | Export-Csv -Append ./forwarded.csv'
        Get-ConfluenceAuditRecord -CheckpointPath $checkpoint | Export-Csv -Append -Path $forwarded
        Import-Csv -LiteralPath $forwarded | Select-Object -Last 2 | Format-Table CreationDateUtc, Category, Summary | Out-Host
        Write-Host "$(@(Import-Csv -LiteralPath $forwarded).Count) records forwarded in all; the checkpoint file says where the next run starts."

        Disconnect-ConfluenceAudit
        Write-Host "`nDemo complete." -ForegroundColor Green
    }
    finally {
        $emulator | Stop-ConfluenceAuditEmulator
    }
}

function Invoke-Emulator {
    $dll = Join-Path $Root "src/ConfluenceAudit.Emulator/bin/$Configuration/net10.0/ConfluenceAudit.Emulator.dll"
    Invoke-Native dotnet $dll @EmulatorArgument
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Emulator' { Invoke-Build; Invoke-Emulator }
        'Package' { Invoke-Build; Invoke-Package }
        'Bench' {
            Invoke-Build
            & (Join-Path $Root 'tests/Benchmark/Invoke-Benchmark.ps1') -Configuration $Configuration -Million:$Million
            if (-not $?) { throw 'The benchmark failed.' }
        }
        'Clean' {
            foreach ($path in @($OutDir) + @(Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj | ForEach-Object FullName)) {
                if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force }
            }
        }
    }
}
