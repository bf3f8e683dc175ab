# An about topic (about_<Topic>.md) as a classic plain-text help topic, wrapped at 80 columns.

$script:AboutTextWidth = 80

function Format-HelpText {
    param([string] $Text, [int] $Indent, [int] $Hanging = $Indent)
    # Greedy word wrap at $script:AboutTextWidth columns; a word longer than a line (a long URL) gets a line of its own.
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    $prefix = ' ' * $Indent
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line -and ($prefix.Length + $line.Length + 1 + $word.Length) -gt $script:AboutTextWidth) {
            $lines.Add($prefix + $line)
            $prefix = ' ' * $Hanging
            $line = $word
        }
        elseif ($line) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line) { $lines.Add($prefix + $line) }
    $lines
}

function ConvertTo-AboutText {
    # The text of about_<Topic>.help.txt from Read-HelpMarkdown's document; its powershell blocks are checked against -Commands.
    param(
        [Parameter(Mandatory)] $Document,
        [Parameter(Mandatory)] [hashtable] $Commands,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problems
    )
    $file = $Document.File
    $topic = [IO.Path]::GetFileNameWithoutExtension($file)
    if ($Document.Title -cne $topic) { Add-HelpProblem $Problems $file "The level-1 heading must be '# $topic'." }
    $titles = @($Document.Sections | ForEach-Object Title)
    if ($titles.Count -lt 2 -or $titles[0] -ne 'SHORT DESCRIPTION' -or $titles[1] -ne 'LONG DESCRIPTION') {
        Add-HelpProblem $Problems $file "An about topic starts with '## SHORT DESCRIPTION' and then '## LONG DESCRIPTION'."
    }
    $short = @($Document.Sections | Where-Object Title -EQ 'SHORT DESCRIPTION' | ForEach-Object Blocks)
    if ($short.Count -ne 1 -or $short[0].Kind -ne 'Paragraph') { Add-HelpProblem $Problems $file 'SHORT DESCRIPTION must be one paragraph.' }

    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add('    ' + $topic)
    $renderBlocks = {
        param($Container, [bool] $Plain)
        $previous = $null
        foreach ($block in $Container.Blocks) {
            # A blank line between blocks, but none after a heading and none between the items of one list.
            if ($null -ne $previous -and -not ($block.Kind -eq 'ListItem' -and $previous -eq 'ListItem')) { $out.Add('') }
            $previous = $block.Kind
            switch ($block.Kind) {
                'Paragraph' { foreach ($l in Format-HelpText $block.Text 4) { $out.Add($l) } }
                'ListItem' {
                    if ($Plain) { foreach ($l in Format-HelpText $block.Text 4) { $out.Add($l) } }
                    else { foreach ($l in Format-HelpText ('- ' + $block.Text) 4 6) { $out.Add($l) } }
                }
                'Code' {
                    foreach ($codeLine in $block.Text -split "`n") {
                        $rendered = if ($codeLine.Trim()) { (' ' * 8) + $codeLine.TrimEnd() } else { '' }
                        if ($rendered.Length -gt $script:AboutTextWidth) { Add-HelpProblem $Problems "$file line $($block.Line)" "A code line is longer than $($script:AboutTextWidth - 8) characters: '$($codeLine.Trim())'." }
                        $out.Add($rendered)
                    }
                    if ($block.Language -eq 'powershell') { Test-HelpExampleCode -Code $block.Text -Where "$file line $($block.Line)" -Commands $Commands -Problems $Problems -MustCall '' }
                }
            }
        }
    }

    foreach ($section in $Document.Sections) {
        if ($section.Title -cne $section.Title.ToUpperInvariant()) { Add-HelpProblem $Problems "$file line $($section.Line)" "Write '## $($section.Title)' in capitals." }
        $out.Add('')
        $out.Add($section.Title.ToUpperInvariant())
        if ($section.Blocks.Count -eq 0 -and $section.Subsections.Count -eq 0) { Add-HelpProblem $Problems "$file line $($section.Line)" "'## $($section.Title)' is empty." }
        # SEE ALSO lists names, one a line, without bullets.
        & $renderBlocks $section ($section.Title -eq 'SEE ALSO')
        foreach ($subsection in $section.Subsections) {
            $out.Add('')
            $out.Add('    ' + $subsection.Title)
            $out.Add('    ' + ('-' * $subsection.Title.Length))
            if ($subsection.Blocks.Count -eq 0) { Add-HelpProblem $Problems "$file line $($subsection.Line)" "'### $($subsection.Title)' is empty." }
            & $renderBlocks $subsection $false
        }
    }

    [pscustomobject]@{ Topic = $topic; Text = ($out -join "`n") + "`n" }
}
