# The Build task: compile, assemble out/ConfluenceAudit from the shipped-file list, stamp the manifest, build the help,
# check Windows PowerShell 5.1 compatibility. And the Clean task.

function Get-ShippedModuleFile {
    # The files the module folder takes from the build output (ShippedFiles.psd1): the one list the build copies, the
    # package holds and the tests check.
    $data = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'ShippedFiles.psd1')
    @($data.Files)
}

function Invoke-ModuleBuild {
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    $paths = Get-BuildPath -Configuration $Configuration
    Invoke-Native dotnet build (Join-Path $paths.Root 'ConfluenceAudit.sln') -c $Configuration --nologo --verbosity quiet

    $moduleOut = $paths.ModuleOut
    if (Test-Path -LiteralPath $moduleOut) { Remove-Item -LiteralPath $moduleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $moduleOut | Out-Null
    foreach ($file in Get-ShippedModuleFile) {
        $source = Join-Path $paths.ModuleBin $file
        if (-not (Test-Path -LiteralPath $source)) { throw "The build did not produce $file ($source)." }
        Copy-Item -LiteralPath $source -Destination $moduleOut
    }
    # The MIT license asks for its text in every copy: the module folder, and so the package, carries it.
    Copy-Item -LiteralPath (Join-Path $paths.Root 'LICENSE') -Destination $moduleOut

    $version = Get-ModuleVersion
    $manifest = Get-Content -LiteralPath (Join-Path $paths.Root 'ConfluenceAudit.psd1') -Raw
    $stamped = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    if ($stamped -eq $manifest -and $manifest -notmatch [regex]::Escape("'$version'")) { throw 'Could not stamp ModuleVersion into the manifest.' }
    Set-Content -LiteralPath (Join-Path $moduleOut 'ConfluenceAudit.psd1') -Value $stamped -Encoding utf8NoBOM

    # Help (en-US/ConfluenceAudit.dll-Help.xml, about_*.help.txt) from docs/help and the built module's metadata; throws when incomplete.
    Export-ModuleHelp -ModulePath $moduleOut -SourcePath $paths.HelpSource

    $info = Test-ModuleManifest -Path (Join-Path $moduleOut 'ConfluenceAudit.psd1')
    Test-WindowsPowerShellCompatibility -ModulePath $moduleOut -Configuration $Configuration
    Write-Host "Built ConfluenceAudit $($info.Version) in $moduleOut" -ForegroundColor Green
}

function Clear-BuildOutput {
    # out/ and every bin/ and obj/ folder under src/ and tests/.
    $paths = Get-BuildPath
    $folders = @(Get-ChildItem -Path (Join-Path $paths.Root 'src'), (Join-Path $paths.Root 'tests') -Directory -Recurse -Include bin, obj | ForEach-Object FullName)
    foreach ($path in @($paths.OutDir) + $folders) {
        if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force }
    }
}
