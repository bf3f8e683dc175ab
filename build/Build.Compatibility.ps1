# The Windows PowerShell 5.1 check of the Build task: the build cannot run Windows PowerShell, so it proves from the
# files that out/ConfluenceAudit needs nothing .NET Framework 4.7.2 and Windows PowerShell 5.1 do not offer.

# The module's assembly resolver (it stands in for binding redirects on .NET Framework), asked by the third check through
# its NonPublic static GetAssemblyPath(string name, string directory, bool isNetFramework).
$script:AssemblyResolverTypeName = 'ConfluenceAudit.PowerShell.AssemblyResolver'

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
    #  3. the module's own resolver (the type named at the top of this file, which stands in for binding redirects on .NET Framework)
    #     answers every request for a shipped DLL, in the version each reference asks for, with that file.
    param(
        # The built module folder (out/ConfluenceAudit).
        [string] $ModulePath = $script:ModuleOut,
        [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release'
    )
    $moduleProject = $script:ModuleProject
    $projectDir = Split-Path -Parent $moduleProject
    $checkObj = (Join-Path $projectDir 'obj/netfx-check') + [System.IO.Path]::DirectorySeparatorChar
    $checkBin = (Join-Path $projectDir 'bin/netfx-check') + [System.IO.Path]::DirectorySeparatorChar
    Invoke-Native dotnet build $moduleProject -c $Configuration --nologo --verbosity quiet "-p:NetFrameworkCheck=true" `
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

    $assemblies = @(Get-ChildItem -LiteralPath $ModulePath -Filter '*.dll' | ForEach-Object { Get-AssemblyMetadata -Path $_.FullName })
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
                $requests.Add([pscustomobject]@{ From = $assembly.File; Request = $reference.FullName; Name = $reference.Name; Version = $reference.Version; Expected = Join-Path $ModulePath $target.File; Ships = $target.Version })
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
                $problems.Add("$what, which is neither in .NET Framework 4.7.2 nor shipped in $ModulePath.")
            }
        }
    }

    # Ask the compiled resolver itself, in a child pwsh so this process never loads the module's DLL.
    $probe = Join-Path ([System.IO.Path]::GetTempPath()) "ConfluenceAudit-resolver-probe-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -LiteralPath $probe -Encoding utf8NoBOM -Value @'
param([string] $ModuleDll, [string] $RequestPath, [string] $TypeName)
$ErrorActionPreference = 'Stop'
$type = [System.Reflection.Assembly]::LoadFrom($ModuleDll).GetType($TypeName, $true)
$method = $type.GetMethod('GetAssemblyPath', [System.Reflection.BindingFlags]'NonPublic, Static')
$directory = Split-Path -Parent $ModuleDll
Get-Content -LiteralPath $RequestPath | ForEach-Object { [string]$method.Invoke($null, [object[]]@([string]$_, [string]$directory, $true)) } | ConvertTo-Json -Compress -AsArray
'@
    $requestFile = "$probe.txt"
    Set-Content -LiteralPath $requestFile -Encoding utf8NoBOM -Value @($requests | ForEach-Object Request)
    try {
        $answers = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $probe -ModuleDll (Join-Path $ModulePath 'ConfluenceAudit.dll') -RequestPath $requestFile `
            -TypeName $script:AssemblyResolverTypeName
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
